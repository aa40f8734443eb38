import { describe, expect, it } from "vitest";
import { checkExternalImageUrl } from "./external-url.ts";

const refused = (url: string) => {
  const r = checkExternalImageUrl(url);
  return r.ok ? null : r.reason;
};

describe("external image URLs", () => {
  it("accepts public https URLs and drops the fragment", () => {
    expect(checkExternalImageUrl("https://images.example.com/a/b.jpg?w=800#top")).toEqual({
      ok: true,
      url: "https://images.example.com/a/b.jpg?w=800",
    });
    expect(checkExternalImageUrl("https://8.8.8.8/x.png").ok).toBe(true);
    expect(checkExternalImageUrl("https://[2606:4700:4700::1111]/x.png").ok).toBe(true);
    expect(checkExternalImageUrl("https://cdn.example.com:443/x.png").ok).toBe(true);
  });

  it("refuses anything but https on the default port, and credentials", () => {
    expect(refused("http://images.example.com/x.jpg")).toMatch(/https/);
    expect(refused("ftp://images.example.com/x.jpg")).toMatch(/https/);
    expect(refused("data:image/png;base64,AAAA")).toMatch(/https/);
    expect(refused("https://images.example.com:8443/x.jpg")).toMatch(/port/);
    expect(refused("https://user:pw@images.example.com/x.jpg")).toMatch(/credentials/);
    expect(refused("/relative.png")).toMatch(/absolute/);
  });

  it("refuses private, loopback, link-local and other non-public IPv4 literals in any spelling", () => {
    for (const host of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
    ]) {
      expect(refused(`https://${host}/x.png`), host).not.toBeNull();
    }
    // The URL parser normalises decimal, hex and short forms before the check.
    expect(refused("https://2130706433/x.png")).toMatch(/loopback/);
    expect(refused("https://0x7f.1/x.png")).toMatch(/loopback/);
    expect(refused("https://0177.0.0.1/x.png")).toMatch(/loopback/);
    expect(refused("https://172.32.0.1/x.png")).toBeNull();
  });

  it("refuses non-public IPv6 literals, including IPv4 addresses carried inside them", () => {
    for (const host of [
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "fc12:3456::1",
      "fec0::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "64:ff9b::192.168.0.1",
      "2002:c0a8:0101::1",
      "2001:db8::1",
      "2001:0:4136:e378::1",
    ]) {
      expect(refused(`https://[${host}]/x.png`), host).not.toBeNull();
    }
    expect(refused("https://[::ffff:8.8.8.8]/x.png")).toBeNull();
  });

  it("refuses local host names and names that embed a private address", () => {
    for (const host of [
      "localhost",
      "LOCALHOST.",
      "api.localhost",
      "printer.local",
      "db.internal",
      "intranet",
      "router.home.arpa",
      "10.0.0.1.nip.io",
      "app.127-0-0-1.sslip.io",
      "x.lvh.me",
    ]) {
      expect(refused(`https://${host}/x.png`), host).not.toBeNull();
    }
    expect(refused("https://8-8-8-8.sslip.io/x.png")).toBeNull();
  });

  it("refuses wildcard DNS names in every encoding of a non-public address, and not public ones", () => {
    for (const host of [
      "7f000001.nip.io",
      "app-0a000001.nip.io",
      "magic.c0a80101.nip.io",
      "a9fea9fe.nip.io",
      "--1.sslip.io",
      "fe80--1.sslip.io",
      "app-fd00--5.sslip.io",
      "0-0-0-0-0-ffff-a00-1.sslip.io",
      "64-ff9b--a00-1.sslip.io",
    ]) {
      expect(refused(`https://${host}/x.png`), host).not.toBeNull();
    }
    for (const host of ["08080808.nip.io", "2606-4700--1111.sslip.io", "my-shop-cdn.example.com", "cafe-babe.img.example.net"])
      expect(refused(`https://${host}/x.png`), host).toBeNull();
  });

  it("refuses the IPv6 special-purpose ranges: NAT64 local use, the IETF protocol block, documentation, SRv6", () => {
    for (const host of [
      "[64:ff9b:1::a00:1]",
      "[64:ff9b::7f00:1]",
      "[2001:2::1]",
      "[2001:20::1]",
      "[2001:1::1]",
      "[3fff::1]",
      "[5f00::1]",
      "[::ffff:0:a00:1]",
    ]) {
      expect(refused(`https://${host}/x.png`), host).not.toBeNull();
    }
    expect(refused("https://[2606:4700:4700::1111]/x.png")).toBeNull();
  });
});
