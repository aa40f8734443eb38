/**
 * R2's multipart upload for the Deno blob stores: the parts are kept in
 * memory and stored with one put on `complete`, in the order of their
 * numbers, so a report written in parts arrives whole. The whole object is
 * held in memory at the end, which bounds its size by the process's memory.
 */
export function assembledUpload(key: string, store: (bytes: Uint8Array) => Promise<R2Object>): R2MultipartUpload {
  const parts = new Map<number, Uint8Array>();
  const uploadId = crypto.randomUUID();
  return {
    key,
    uploadId,
    async uploadPart(partNumber: number, value: unknown) {
      const bytes = new Uint8Array(await new Response(value as BodyInit).arrayBuffer());
      parts.set(partNumber, bytes);
      return { partNumber, etag: `${uploadId}-${partNumber}` };
    },
    async abort() {
      parts.clear();
    },
    async complete(uploaded: R2UploadedPart[]) {
      const ordered = [...uploaded].sort((a, b) => a.partNumber - b.partNumber).map((p) => parts.get(p.partNumber));
      if (ordered.some((p) => p === undefined)) throw new Error(`${key}: a part named at completion was never uploaded`);
      const whole = new Uint8Array(ordered.reduce((n, p) => n + (p as Uint8Array).byteLength, 0));
      let at = 0;
      for (const p of ordered as Uint8Array[]) {
        whole.set(p, at);
        at += p.byteLength;
      }
      parts.clear();
      return store(whole);
    },
  } as unknown as R2MultipartUpload;
}

/** An object with its bytes, as R2's get answers it (both Deno blob stores). */
export function bodyOf(object: R2Object, bytes: Uint8Array): R2ObjectBody {
  return {
    ...object,
    get body() {
      return new Response(bytes).body;
    },
    bodyUsed: false,
    arrayBuffer: async () => bytes.slice().buffer,
    bytes: async () => bytes.slice(),
    text: async () => new TextDecoder().decode(bytes),
    json: async () => JSON.parse(new TextDecoder().decode(bytes)),
    blob: async () => new Blob([bytes]),
  } as unknown as R2ObjectBody;
}
