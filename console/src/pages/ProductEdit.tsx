/**
 * Create or edit a product with its variants, publish or unpublish it, and
 * upload images. Every change sends If-Match with the version read, so a
 * product someone else changed meanwhile is never overwritten blindly.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useLocation, useParams } from "wouter";
import { api, must } from "../api/client.ts";
import { ErrorBox, Loading } from "../components/States.tsx";
import { formatOptions, type ProductForm, productBody, storedCompareAt, toMajor } from "../lib/product-form.ts";
import { ProductImages } from "./ProductImages.tsx";

const blank: ProductForm = {
  name: "",
  description: "",
  status: "draft",
  categoryId: "",
  brandId: "",
  variants: [{ sku: "", price: "", compareAt: "", currency: "USD", options: "" }],
};

export default function ProductEdit() {
  const { id } = useParams<{ id?: string }>();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const product = useQuery({
    queryKey: ["product", id],
    enabled: !!id,
    queryFn: () => must(api.GET("/api/products/{id}", { params: { path: { id: id! } } })),
  });
  const categories = useQuery({ queryKey: ["categories"], queryFn: () => must(api.GET("/api/products/categories")), staleTime: 300_000 });
  const brands = useQuery({ queryKey: ["brands"], queryFn: () => must(api.GET("/api/products/brands")), staleTime: 300_000 });
  const [form, setForm] = useState<ProductForm>(blank);
  const [message, setMessage] = useState("");
  const [invalid, setInvalid] = useState("");

  useEffect(() => {
    const p = product.data;
    if (!p) return;
    setForm({
      name: p.name,
      description: p.description,
      status: p.status,
      categoryId: p.category?.id ?? "",
      brandId: p.brand?.id ?? "",
      variants: p.variants.map((v) => ({
        sku: v.sku,
        price: toMajor(v.price.baseMinor),
        compareAt: toMajor(storedCompareAt(v.price)),
        currency: v.price.currency,
        options: formatOptions(v.options),
      })),
    });
  }, [product.data]);

  const save = useMutation({
    mutationFn: async (body: Record<string, unknown>) => {
      if (!id) return must(api.POST("/api/products", { body: body as never }));
      return must(
        api.PATCH("/api/products/{id}", {
          params: { path: { id }, header: { "if-match": `"v${product.data!.version}"` } },
          body: body as never,
        }),
      );
    },
    onSuccess: async (saved) => {
      setMessage(id ? "Saved." : "Product created.");
      queries.setQueryData(["product", saved.id], saved);
      await queries.invalidateQueries({ queryKey: ["products"] });
      if (!id) navigate(`/products/${saved.id}`);
    },
  });

  const submit = (e: FormEvent, status?: ProductForm["status"]) => {
    e.preventDefault();
    setMessage("");
    const built = productBody(status ? { ...form, status } : form);
    if (!built.ok) return setInvalid(built.message);
    setInvalid("");
    save.mutate(built.body);
  };
  const setVariant = (i: number, change: Partial<ProductForm["variants"][number]>) =>
    setForm({ ...form, variants: form.variants.map((v, j) => (j === i ? { ...v, ...change } : v)) });

  if (id && product.isPending) return <Loading what="Loading the product" />;
  if (id && product.error) return <ErrorBox error={product.error} />;
  return (
    <>
      <h1>{id ? `Edit ${product.data?.name}` : "New product"}</h1>
      {id ? (
        <p className="muted">
          Version {product.data?.version} · {product.data?.status === "active" ? "published" : product.data?.status}
        </p>
      ) : null}
      <form onSubmit={submit} className="panel" aria-label="Product">
        <div className="form">
          <label>
            Name
            <input name="name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            Status
            <select
              name="status"
              value={form.status}
              onChange={(e) => setForm({ ...form, status: e.target.value as ProductForm["status"] })}
            >
              <option value="draft">Draft</option>
              <option value="active">Published</option>
              <option value="archived">Archived</option>
            </select>
          </label>
          <label>
            Category
            <select name="category" value={form.categoryId} onChange={(e) => setForm({ ...form, categoryId: e.target.value })}>
              <option value="">None</option>
              {categories.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.path}
                </option>
              ))}
            </select>
          </label>
          <label>
            Brand
            <select name="brand" value={form.brandId} onChange={(e) => setForm({ ...form, brandId: e.target.value })}>
              <option value="">None</option>
              {brands.data?.items.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label style={{ marginTop: 10 }}>
          Description
          <textarea
            name="description"
            rows={3}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </label>
        <h2>Variants</h2>
        {form.variants.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id until saved
          <fieldset key={i} className="form">
            <legend>Variant {i + 1}</legend>
            <label>
              SKU
              <input name={`sku-${i}`} value={v.sku} onChange={(e) => setVariant(i, { sku: e.target.value })} />
            </label>
            <label>
              Price
              <input name={`price-${i}`} inputMode="decimal" value={v.price} onChange={(e) => setVariant(i, { price: e.target.value })} />
            </label>
            <label>
              Compare-at price
              <input
                name={`compare-at-${i}`}
                inputMode="decimal"
                placeholder="none"
                value={v.compareAt}
                onChange={(e) => setVariant(i, { compareAt: e.target.value })}
              />
            </label>
            <label>
              Currency
              <select name={`currency-${i}`} value={v.currency} onChange={(e) => setVariant(i, { currency: e.target.value })}>
                <option>USD</option>
                <option>EUR</option>
                <option>GBP</option>
              </select>
            </label>
            <label>
              Options (name=value, …)
              <input name={`options-${i}`} value={v.options} onChange={(e) => setVariant(i, { options: e.target.value })} />
            </label>
          </fieldset>
        ))}
        <div className="row" style={{ marginTop: 10 }}>
          <button
            type="button"
            className="secondary"
            onClick={() => setForm({ ...form, variants: [...form.variants, { ...blank.variants[0]! }] })}
          >
            Add a variant
          </button>
          <span className="grow" />
          <button type="submit" disabled={save.isPending}>
            {id ? "Save" : "Create product"}
          </button>
          {id ? (
            <button
              type="button"
              className="secondary"
              disabled={save.isPending}
              onClick={(e) => submit(e, form.status === "active" ? "draft" : "active")}
            >
              {form.status === "active" ? "Unpublish" : "Publish"}
            </button>
          ) : null}
        </div>
        {invalid ? (
          <p className="alert" role="alert">
            {invalid}
          </p>
        ) : null}
        <ErrorBox error={save.error} />
        {message ? (
          <p className="notice" role="status">
            {message}
          </p>
        ) : null}
      </form>
      {id && product.data ? <ProductImages product={product.data} /> : null}
    </>
  );
}
