/**
 * External image URLs. The catalog stores them and shoppers' browsers load
 * them; the Worker never fetches them. Still, a URL that points into a
 * private network is refused: https only, port 443, no credentials, and no
 * host that is, or obviously stands for, a private, loopback, link-local or
 * otherwise non-public address (the IANA IPv4 and IPv6 special-purpose
 * registries, in every form the URL parser or a wildcard DNS name gives). Without DNS resolution a public name that
 * resolves to a private address cannot be caught in general; names that
 * embed an address (wildcard DNS services) and well-known loopback names are.
 */

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/** Names that are local by definition (RFC 6761, RFC 8375, common private suffixes) or resolve to loopback by design. */
const LOCAL_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "localdomain",
  "home.arpa",
  "arpa",
  "test",
  "invalid",
  "example",
  "localtest.me",
  "lvh.me",
  "vcap.me",
];

export function checkExternalImageUrl(raw: string): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not an absolute URL" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "only https URLs are accepted" };
  if (url.username || url.password) return { ok: false, reason: "URLs with credentials are not accepted" };
  if (url.port && url.port !== "443") return { ok: false, reason: "only the default https port is accepted" };
  const hostReason = hostRefusal(url.hostname);
  if (hostReason) return { ok: false, reason: hostReason };
  url.hash = "";
  return { ok: true, url: url.toString() };
}

/** Why the host is refused, or null. `hostname` as the WHATWG URL parser gives it (IPv4 normalised, IPv6 in brackets). */
export function hostRefusal(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) {
    const words = parseIpv6(host.slice(1, -1));
    if (!words) return "not a valid IPv6 address";
    return ipv6Refusal(words);
  }
  const v4 = parseIpv4(host);
  if (v4 !== null) return ipv4Refusal(v4);
  if (!host.includes(".")) return "single-label host names are local";
  if (LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return "a local host name";
  return embeddedAddressRefusal(host);
}

/**
 * Wildcard DNS services answer a name with the address written inside it, in
 * several encodings: dotted or dashed IPv4 (10.0.0.1.nip.io, 127-0-0-1.sslip.io),
 * eight hex digits (7f000001.nip.io, app-c0a80101.nip.io) and dashed IPv6
 * (--1.sslip.io, fe80--1.sslip.io). Any embedded address that is not public is refused.
 */
function embeddedAddressRefusal(host: string): string | null {
  const refused = "the name embeds a non-public address";
  const tokens = host.split(/[.-]/);
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const embedded = parseIpv4(tokens.slice(i, i + 4).join("."));
    if (embedded !== null && ipv4Refusal(embedded)) return refused;
  }
  for (const token of tokens) if (/^[0-9a-f]{8}$/.test(token) && ipv4Refusal(parseInt(token, 16))) return refused;
  for (const label of host.split(".")) {
    if (!label.includes("-")) continue;
    // sslip.io writes IPv6 with "-" for ":"; a prefix such as "app-" may stand before it.
    const dashed = label.split("-");
    for (let i = 0; i < dashed.length; i++) {
      const words = parseIpv6(dashed.slice(i).join(":"));
      if (words && ipv6Refusal(words)) return refused;
    }
  }
  return null;
}

function parseIpv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

const cidr4 = (a: number, b: number, c: number, d: number, bits: number) => ({
  base: ((a * 256 + b) * 256 + c) * 256 + d,
  size: 2 ** (32 - bits),
});

/** IPv4 ranges that are not public unicast (RFC 6890 and friends). */
const BLOCKED_V4 = [
  [cidr4(0, 0, 0, 0, 8), 'an unspecified or "this network" address'],
  [cidr4(10, 0, 0, 0, 8), "a private address"],
  [cidr4(100, 64, 0, 0, 10), "a carrier-grade NAT address"],
  [cidr4(127, 0, 0, 0, 8), "a loopback address"],
  [cidr4(169, 254, 0, 0, 16), "a link-local address"],
  [cidr4(172, 16, 0, 0, 12), "a private address"],
  [cidr4(192, 0, 0, 0, 24), "an IETF protocol address"],
  [cidr4(192, 0, 2, 0, 24), "a documentation address"],
  [cidr4(192, 88, 99, 0, 24), "a 6to4 relay address"],
  [cidr4(192, 168, 0, 0, 16), "a private address"],
  [cidr4(198, 18, 0, 0, 15), "a benchmarking address"],
  [cidr4(198, 51, 100, 0, 24), "a documentation address"],
  [cidr4(203, 0, 113, 0, 24), "a documentation address"],
  [cidr4(224, 0, 0, 0, 4), "a multicast address"],
  [cidr4(240, 0, 0, 0, 4), "a reserved or broadcast address"],
] as const;

function ipv4Refusal(addr: number): string | null {
  for (const [range, reason] of BLOCKED_V4) if (addr >= range.base && addr < range.base + range.size) return reason;
  return null;
}

/** Eight 16-bit words, or null. Accepts `::` compression and a trailing dotted IPv4. */
function parseIpv6(text: string): number[] | null {
  if (text.includes("%")) return null;
  let s = text;
  const dotted = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (v4 === null) return null;
    s = `${s.slice(0, -dotted[1]!.length)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const words = (part: string) => (part === "" ? [] : part.split(":").map((w) => (/^[0-9a-f]{1,4}$/.test(w) ? parseInt(w, 16) : NaN)));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...head, ...Array<number>(8 - known).fill(0), ...rest];
}

function ipv6Refusal(w: number[]): string | null {
  const v4 = (hi: number, lo: number) => hi * 65536 + lo;
  const allZero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (allZero(0, 8)) return "the unspecified address";
  if (allZero(0, 7) && w[7] === 1) return "a loopback address";
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form carry an IPv4 address.
  if (allZero(0, 5) && (w[5] === 0xffff || w[5] === 0))
    return ipv4Refusal(v4(w[6]!, w[7]!)) ?? (w[5] === 0 ? "a deprecated IPv4-compatible address" : null);
  // SIIT's IPv4-translated form (::ffff:0:a.b.c.d) carries one too.
  if (allZero(0, 4) && w[4] === 0xffff && w[5] === 0) return ipv4Refusal(v4(w[6]!, w[7]!)) ?? "an IPv4-translated address";
  if (w[0] === 0x64 && w[1] === 0xff9b && allZero(2, 6)) return ipv4Refusal(v4(w[6]!, w[7]!)); // NAT64, well-known prefix
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return "a local-use NAT64 address"; // 64:ff9b:1::/48
  if (w[0] === 0x2002) return ipv4Refusal(v4(w[1]!, w[2]!)); // 6to4
  // 2001::/23 is the IETF protocol block (Teredo, benchmarking, ORCHID, AMT, AS112...): none of it is an image host.
  if (w[0] === 0x2001 && w[1]! < 0x200) return w[1] === 0 ? "a Teredo tunnel address" : "an IETF protocol address";
  if (w[0] === 0x2001 && w[1] === 0xdb8) return "a documentation address";
  if ((w[0]! & 0xfff0) === 0x3ff0) return "a documentation address"; // 3fff::/20
  if (w[0] === 0x5f00) return "a segment routing address"; // 5f00::/16 (SRv6 SIDs)
  if (w[0] === 0x100 && allZero(1, 4)) return "a discard address";
  if ((w[0]! & 0xfe00) === 0xfc00) return "a unique local (private) address";
  if ((w[0]! & 0xffc0) === 0xfe80) return "a link-local address";
  if ((w[0]! & 0xffc0) === 0xfec0) return "a site-local address";
  if ((w[0]! & 0xff00) === 0xff00) return "a multicast address";
  return null;
}
