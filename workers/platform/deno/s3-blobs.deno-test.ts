/**
 * The S3-compatible blob store against an S3 API server (s3rver, run by Node
 * in a child process; it reads the access key of each signed request, but
 * does not verify V4 signatures), run by Deno with `npm run test:deno`:
 * metadata round trips, listing by prefix page by page, deletes, a
 * multipart upload, and a request signed for an unknown access key refused.
 */

import { deno } from "./deno-api.ts";
import { s3Bucket } from "./s3-blobs.ts";
import { check, equal } from "./test-assertions.ts";

const api = deno();

interface Child {
  stdout: ReadableStream<Uint8Array>;
  kill(signal?: string): void;
  status: Promise<unknown>;
}
type CommandClass = new (cmd: string, options: { args: string[]; stdout: "piped"; stderr: "inherit" }) => { spawn(): Child };

/** Starts the S3 test server in Node; resolves with its port and a stop function. */
async function s3Server(bucket: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const Command = (globalThis as unknown as { Deno: { Command: CommandClass } }).Deno.Command;
  const child = new Command("node", {
    // s3rver encrypts its continuation tokens with a cipher OpenSSL 3 keeps in its legacy provider.
    args: ["--openssl-legacy-provider", "scripts/local/s3-test-server.mjs", await api.makeTempDir(), bucket],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the S3 test server ended before it listened");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void child.stdout.cancel();
  return {
    port: Number(text.trim()),
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

api.test("blobs on an S3-compatible store: put, head, get, list by prefix with a cursor, multipart, delete", async () => {
  const { port, stop } = await s3Server("shop-reports");
  try {
    const settings = { endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
    const bucket = s3Bucket(settings, "shop-reports");
    await bucket.put("reports/a.csv", "a,b\n1,2\n", { httpMetadata: { contentType: "text/csv" }, customMetadata: { rows: "1" } });
    await bucket.put("reports/b.csv", new Uint8Array([1, 2, 3]));
    await bucket.put("media/x.png", "png");
    const head = await bucket.head("reports/a.csv");
    equal([head?.customMetadata, head?.httpMetadata?.contentType, head?.size], [{ rows: "1" }, "text/csv", 8], "the head");
    equal(await (await bucket.get("reports/a.csv"))?.text(), "a,b\n1,2\n", "the stored bytes");
    equal(await bucket.get("reports/none.csv"), null, "a key never stored");
    const first = await bucket.list({ prefix: "reports/", limit: 1 });
    equal([first.objects.map((o) => o.key), first.truncated], [["reports/a.csv"], true], "the first page");
    const second = await bucket.list({ prefix: "reports/", limit: 1, cursor: first.truncated ? first.cursor : undefined });
    equal([second.objects.map((o) => o.key), second.truncated], [["reports/b.csv"], false], "the second page");

    const upload = await bucket.createMultipartUpload("reports/big.bin", { customMetadata: { parts: "2" } });
    const p2 = await upload.uploadPart(2, new Uint8Array([3, 4]));
    const p1 = await upload.uploadPart(1, new Uint8Array([1, 2]));
    await upload.complete([p2, p1]);
    equal([...((await (await bucket.get("reports/big.bin"))?.bytes()) ?? [])], [1, 2, 3, 4], "the parts in their order");

    await bucket.delete(["reports/a.csv", "reports/b.csv", "reports/big.bin"]);
    equal(
      (await bucket.list()).objects.map((o) => o.key),
      ["media/x.png"],
      "what is left",
    );

    const forged = s3Bucket({ ...settings, accessKeyId: "NOT-A-KEY" }, "shop-reports");
    const refused = await forged.put("reports/c.csv", "x").then(
      () => "stored",
      (err: Error) => err.message,
    );
    check(refused.includes("403") && refused.includes("InvalidAccessKeyId"), `a request signed for an unknown key: ${refused}`);
  } finally {
    await stop();
  }
});
