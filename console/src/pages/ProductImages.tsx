/** A product's images: preview before upload, upload the bytes to R2 (through the API), remove; each change with If-Match. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, must } from "../api/client.ts";
import type { components } from "../api/schema";
import { ErrorBox } from "../components/States.tsx";

type Product = components["schemas"]["Product"];

export function ProductImages({ product }: { product: Product }) {
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [alt, setAlt] = useState("");
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  const ifMatch = `"v${product.version}"`;
  const upload = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/products/{id}/images", {
          params: { path: { id: product.id }, query: { alt }, header: { "if-match": ifMatch } },
          // The bytes go as they are, typed by the file's own media type.
          body: file as unknown as string,
          bodySerializer: (b: unknown) => b as Blob,
          headers: { "content-type": file!.type },
        }),
      ),
    onSuccess: (saved) => {
      queries.setQueryData(["product", product.id], saved);
      setFile(null);
      setAlt("");
    },
  });
  const remove = useMutation({
    mutationFn: (imageId: string) =>
      must(
        api.DELETE("/api/products/{id}/images/{imageId}", {
          params: { path: { id: product.id, imageId }, header: { "if-match": ifMatch } },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["product", product.id] }),
  });
  return (
    <section className="panel">
      <h2>Images</h2>
      <div className="row">
        {product.images.map((img) => (
          <figure key={img.id} style={{ margin: 0 }}>
            <img src={img.url} alt={img.alt} width={120} height={120} style={{ objectFit: "cover" }} />
            <figcaption>
              <button type="button" className="secondary" onClick={() => remove.mutate(img.id)}>
                Remove
              </button>
            </figcaption>
          </figure>
        ))}
        {product.images.length === 0 ? <p className="muted">No images yet.</p> : null}
      </div>
      <div className="form" style={{ marginTop: 10 }}>
        <label>
          Image file
          <input
            name="image"
            type="file"
            accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          Description of the image
          <input name="alt" value={alt} onChange={(e) => setAlt(e.target.value)} />
        </label>
        <button type="button" disabled={!file || upload.isPending} onClick={() => upload.mutate()}>
          Upload
        </button>
      </div>
      {preview ? <img src={preview} alt="Preview of the file to upload" width={160} style={{ marginTop: 8 }} /> : null}
      <ErrorBox error={upload.error ?? remove.error} />
    </section>
  );
}
