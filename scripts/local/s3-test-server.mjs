// A local S3 API server for the blob store's tests (s3rver checks Signature V4 with the key pair S3RVER/S3RVER):
// `node scripts/local/s3-test-server.mjs <dir> <bucket>` prints the port it listens on, and runs until killed.
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
console.log(port);
