/**
 * Timed discounts (admins): the catalogue's automatic discounts by state,
 * a new one from a form described as data, and ending one: a running
 * discount ends now (its end moves to now), a scheduled one is withdrawn.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { SpecFields } from "../components/SpecForm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { buildBody, CURRENCIES, type FieldSpec, initialValues } from "../lib/form-spec.ts";
import { formatDateTime, formatMoney } from "../lib/format.ts";
import { fieldMessages } from "../lib/problem.ts";

type State = "active" | "scheduled" | "ended";
interface Discount {
  id: string;
  name: string;
  kind: "percentage" | "fixed";
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  scope: "product" | "category" | "all";
  productId: string | null;
  categoryId: string | null;
  startsAt: string;
  endsAt: string | null;
  version: number;
}

/** Where a discount stands at `now` (the list's state filter, computed the same way for each row). */
function discountState(d: Pick<Discount, "startsAt" | "endsAt">, now = Date.now()): State {
  if (Date.parse(d.startsAt) > now) return "scheduled";
  if (d.endsAt && Date.parse(d.endsAt) <= now) return "ended";
  return "active";
}

/** The create form: one entry per body field of POST /api/products/discounts. */
function discountFields(categories: readonly (readonly [string, string])[]): FieldSpec[] {
  return [
    { name: "name", label: "Name", kind: "text" },
    {
      name: "kind",
      label: "Kind",
      kind: "select",
      options: [
        ["percentage", "Percentage off"],
        ["fixed", "Amount off each unit"],
      ],
    },
    { name: "percentBp", label: "Percent off", kind: "percent", when: (v) => v.kind === "percentage" },
    { name: "amountMinor", label: "Amount off", kind: "amount", when: (v) => v.kind === "fixed" },
    { name: "currency", label: "Currency", kind: "select", options: CURRENCIES, when: (v) => v.kind === "fixed" },
    {
      name: "scope",
      label: "Applies to",
      kind: "select",
      options: [
        ["all", "Every product"],
        ["category", "A category and its subcategories"],
        ["product", "One product"],
      ],
    },
    { name: "categoryId", label: "Category", kind: "select", options: categories, when: (v) => v.scope === "category" },
    { name: "productId", label: "Product id", kind: "text", when: (v) => v.scope === "product", hint: "prd_…" },
    { name: "startsAt", label: "Starts", kind: "datetime", omitWhenEmpty: true, hint: "Empty: now" },
    { name: "endsAt", label: "Ends", kind: "datetime", hint: "Empty: no end" },
  ];
}

function amount(d: Discount): string {
  if (d.kind === "percentage" && d.percentBp !== null) return `${d.percentBp / 100} %`;
  return d.amountMinor !== null && d.currency ? formatMoney(d.amountMinor, d.currency) : "—";
}

export default function Discounts() {
  if (!hasRole(session(), "admin")) {
    return (
      <>
        <h1>Timed discounts</h1>
        <p>Discounts are managed by admins.</p>
      </>
    );
  }
  return <DiscountList />;
}

function DiscountList() {
  const queries = useQueryClient();
  const [state, update] = useTableState({ state: "", cursor: "" });
  const categories = useQuery({
    queryKey: ["categories"],
    queryFn: () => must(api.GET("/api/products/categories", { params: { query: { limit: 500 } } })),
  });
  const list = useQuery({
    queryKey: ["discounts", state],
    queryFn: () =>
      must(
        api.GET("/api/products/discounts", {
          params: {
            query: {
              limit: 25,
              ...(state.state ? { state: state.state as State } : {}),
              ...(state.cursor ? { cursor: state.cursor } : {}),
            },
          },
        }),
      ),
  });
  const categoryName = (id: string | null) => categories.data?.items.find((c) => c.id === id)?.path ?? id;
  const [ending, setEnding] = useState<Discount | null>(null);
  const end = useMutation({
    mutationFn: (d: Discount) => {
      const params = { path: { id: d.id }, header: { "if-match": `"v${d.version}"` } };
      return discountState(d) === "scheduled"
        ? must(api.DELETE("/api/products/discounts/{id}", { params }))
        : must(api.PATCH("/api/products/discounts/{id}", { params, body: { endsAt: new Date().toISOString() } as never }));
    },
    onSettled: async () => {
      setEnding(null);
      await queries.invalidateQueries({ queryKey: ["discounts"] });
    },
  });
  const target = (d: Discount) =>
    d.scope === "all" ? "every product" : d.scope === "category" ? `category ${categoryName(d.categoryId)}` : `product ${d.productId}`;
  return (
    <>
      <h1>Timed discounts</h1>
      <NewDiscount categories={(categories.data?.items ?? []).map((c) => [c.id, c.path] as const)} />
      <h2>Discounts</h2>
      <div className="filters">
        <label>
          State
          <select value={state.state} onChange={(e) => update({ state: e.target.value })}>
            <option value="">Any</option>
            <option value="active">Running</option>
            <option value="scheduled">Scheduled</option>
            <option value="ended">Ended</option>
          </select>
        </label>
      </div>
      <ErrorBox error={list.error ?? end.error} />
      {list.isPending ? <Loading what="Loading the discounts" /> : null}
      {list.data && list.data.items.length === 0 ? <Empty>No discount matches.</Empty> : null}
      {list.data?.items.length ? (
        <>
          <DataTable
            caption="Discounts"
            rows={list.data.items as Discount[]}
            rowKey={(d) => d.id}
            columns={[
              { key: "name", label: "Name", render: (d) => d.name },
              { key: "amount", label: "Off", numeric: true, render: amount },
              { key: "target", label: "Applies to", render: target },
              { key: "starts", label: "Starts", render: (d) => formatDateTime(d.startsAt) },
              { key: "ends", label: "Ends", render: (d) => formatDateTime(d.endsAt) },
              {
                key: "state",
                label: "State",
                render: (d) => {
                  const s = discountState(d);
                  return <span className={`badge ${s === "active" ? "ok" : s === "scheduled" ? "warn" : ""}`}>{s}</span>;
                },
              },
              {
                key: "end",
                label: "End",
                render: (d) =>
                  discountState(d) === "ended" ? null : (
                    <button type="button" className="secondary" aria-label={`End ${d.name}`} onClick={() => setEnding(d)}>
                      End
                    </button>
                  ),
              },
            ]}
          />
          <Pager cursor={state.cursor!} nextCursor={list.data.nextCursor} onPage={(cursor) => update({ cursor })} />
        </>
      ) : null}
      <Confirm
        open={ending !== null}
        title={`End the discount ${ending?.name ?? ""}?`}
        confirmLabel="End the discount"
        danger
        busy={end.isPending}
        onConfirm={() => ending && end.mutate(ending)}
        onCancel={() => setEnding(null)}
      >
        <p>
          {ending && discountState(ending) === "scheduled"
            ? "It has not started yet: it is withdrawn and never applies."
            : "Prices go back to their base price now; the discount stays in the list as ended."}
        </p>
      </Confirm>
    </>
  );
}

function NewDiscount({ categories }: { categories: (readonly [string, string])[] }) {
  const queries = useQueryClient();
  const specs = useMemo(() => discountFields(categories), [categories]);
  const [values, setValues] = useState(() => initialValues(discountFields([])));
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => must(api.POST("/api/products/discounts", { body: body as never })),
    onSuccess: async () => {
      setValues(initialValues(specs));
      await queries.invalidateQueries({ queryKey: ["discounts"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.reset();
    // The category list arrives after the form: an untouched category field means the first one offered.
    const chosen = values.scope === "category" && !values.categoryId ? { ...values, categoryId: categories[0]?.[0] ?? "" } : values;
    const built = buildBody(specs, chosen);
    setOwnErrors(built.ok ? {} : built.errors);
    if (built.ok) create.mutate(built.body);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label="New discount">
      <h2>New discount</h2>
      <SpecFields specs={specs} values={values} errors={{ ...fieldMessages(create.error), ...ownErrors }} onChange={setValues} />
      <div className="row" style={{ marginTop: 10 }}>
        <button type="submit" disabled={create.isPending}>
          Create the discount
        </button>
      </div>
      <ErrorBox error={create.error} />
      {create.data ? (
        <p className="notice" role="status">
          Discount {create.data.name} created.
        </p>
      ) : null}
    </form>
  );
}
