/**
 * Timed discounts (admins): the catalogue's automatic discounts by state,
 * a new one from a form described as data, editing one (DiscountEdit.tsx),
 * and ending one: a running discount ends now (its end moves to now), a
 * scheduled one is withdrawn.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { SpecFields } from "../components/SpecForm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { type Discount, discountFields, discountState, type State } from "../lib/discounts.ts";
import { buildBody, initialValues } from "../lib/form-spec.ts";
import { formatDateTime, formatMoney } from "../lib/format.ts";
import { fieldMessages } from "../lib/problem.ts";
import { DiscountEdit } from "./DiscountEdit.tsx";

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
  const [editing, setEditing] = useState<Discount | null>(null);
  const [edited, setEdited] = useState("");
  const categoryOptions = useMemo(() => (categories.data?.items ?? []).map((c) => [c.id, c.path] as const), [categories.data]);
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
      <NewDiscount categories={categoryOptions} />
      {editing ? (
        <DiscountEdit
          key={editing.id}
          discount={editing}
          latest={() => (list.data?.items as Discount[] | undefined)?.find((d) => d.id === editing.id) ?? editing}
          categories={categoryOptions}
          onDone={(message) => {
            setEditing(null);
            setEdited(message);
          }}
        />
      ) : null}
      {edited ? (
        <p className="notice" role="status">
          {edited}
        </p>
      ) : null}
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
                key: "actions",
                label: "Actions",
                render: (d) =>
                  discountState(d) === "ended" ? null : (
                    <div className="row">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Edit ${d.name}`}
                        onClick={() => {
                          setEdited("");
                          setEditing(d);
                        }}
                      >
                        Edit
                      </button>
                      <button type="button" className="secondary" aria-label={`End ${d.name}`} onClick={() => setEnding(d)}>
                        End
                      </button>
                    </div>
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
