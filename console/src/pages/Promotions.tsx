/** Promotion codes (admins): the codes filtered by kind and code, a new code from a form described as data, and each code's terms and usage. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "wouter";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { SpecFields } from "../components/SpecForm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, useTableState } from "../components/table.tsx";
import { buildBody, CURRENCIES, type FieldSpec, initialValues } from "../lib/form-spec.ts";
import { formatDateTime, formatMoney } from "../lib/format.ts";
import { fieldMessages } from "../lib/problem.ts";
import { PromotionTerms } from "./PromotionTerms.tsx";

/** The create form: one entry per body field of POST /api/promotions (a new API field is a new entry here). */
const CODE_FIELDS: FieldSpec[] = [
  { name: "code", label: "Code", kind: "text", hint: "3 to 40 letters, digits, - or _" },
  {
    name: "kind",
    label: "Kind",
    kind: "select",
    options: [
      ["percentage", "Percentage off"],
      ["fixed", "Amount off"],
      ["free_shipping", "Free shipping"],
      ["buy_x_get_y", "Buy X, get Y"],
    ],
  },
  { name: "buyQuantity", label: "Units to buy", kind: "count", when: (v) => v.kind === "buy_x_get_y" },
  { name: "getQuantity", label: "Units given", kind: "count", when: (v) => v.kind === "buy_x_get_y" },
  {
    name: "percentBp",
    label: "Percent off",
    kind: "percent",
    when: (v) => v.kind === "percentage" || v.kind === "buy_x_get_y",
    hint: "Buy X, get Y: off the units given (100: free)",
  },
  { name: "amountMinor", label: "Amount off", kind: "amount", when: (v) => v.kind === "fixed" },
  { name: "currency", label: "Currency", kind: "select", options: CURRENCIES, when: (v) => v.kind === "fixed" },
  { name: "minSubtotalMinor", label: "Minimum order subtotal", kind: "amount", omitWhenEmpty: true },
  { name: "startsAt", label: "Starts", kind: "datetime", omitWhenEmpty: true, hint: "Empty: now" },
  { name: "endsAt", label: "Ends", kind: "datetime", hint: "Empty: no end" },
  { name: "usageLimit", label: "Uses in all", kind: "count", hint: "Empty: unlimited" },
  { name: "perCustomerLimit", label: "Uses per customer", kind: "count", hint: "Empty: unlimited" },
  { name: "productIds", label: "Eligible product ids", kind: "ids", hint: "Empty (with no category or brand): every product" },
  { name: "categoryIds", label: "Eligible category ids", kind: "ids", hint: "A category covers the ones below it" },
  { name: "brandIds", label: "Eligible brand ids", kind: "ids" },
];

const KIND_LABEL: Record<string, string> = {
  percentage: "percentage",
  fixed: "amount off",
  free_shipping: "free shipping",
  buy_x_get_y: "buy X, get Y",
};

interface CodeView {
  kind: string;
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
}

/** What a code takes off, in words. */
function benefit(c: CodeView): string {
  if (c.kind === "percentage" && c.percentBp !== null) return `${c.percentBp / 100} % off`;
  if (c.kind === "fixed" && c.amountMinor !== null && c.currency) return `${formatMoney(c.amountMinor, c.currency)} off`;
  return KIND_LABEL[c.kind] ?? c.kind;
}

export default function Promotions() {
  if (!hasRole(session(), "admin")) {
    return (
      <>
        <h1>Promotions</h1>
        <p>Promotion codes are managed by admins.</p>
      </>
    );
  }
  return <PromotionList />;
}

function PromotionList() {
  const [state, update] = useTableState({ kind: "", code: "" });
  const codes = useQuery({ queryKey: ["promotions"], queryFn: () => must(api.GET("/api/promotions")) });
  const shown = (codes.data?.items ?? []).filter(
    (c) => (!state.kind || c.kind === state.kind) && (!state.code || c.code.toLowerCase().includes(state.code.toLowerCase())),
  );
  return (
    <>
      <h1>Promotions</h1>
      <NewCode />
      <h2>Codes</h2>
      <div className="filters">
        <label>
          Kind
          <select value={state.kind} onChange={(e) => update({ kind: e.target.value })}>
            <option value="">Every kind</option>
            {Object.entries(KIND_LABEL).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Code contains
          <input type="search" value={state.code} onChange={(e) => update({ code: e.target.value })} />
        </label>
      </div>
      <ErrorBox error={codes.error} />
      {codes.isPending ? <Loading what="Loading the codes" /> : null}
      {codes.data && shown.length === 0 ? <Empty>No promotion code matches.</Empty> : null}
      {shown.length ? (
        <DataTable
          caption="Promotion codes"
          rows={shown}
          rowKey={(c) => c.id}
          columns={[
            { key: "code", label: "Code", render: (c) => <Link href={`/promotions/${c.id}`}>{c.code}</Link> },
            { key: "benefit", label: "Benefit", render: benefit },
            { key: "starts", label: "Starts", render: (c) => formatDateTime(c.startsAt) },
            { key: "ends", label: "Ends", render: (c) => formatDateTime(c.endsAt) },
            { key: "products", label: "Products", render: (c) => (c.productIds.length ? `${c.productIds.length} eligible` : "all") },
            { key: "uses", label: "Uses", numeric: true, render: (c) => (c.usageLimit === null ? c.uses : `${c.uses} / ${c.usageLimit}`) },
          ]}
        />
      ) : null}
    </>
  );
}

function NewCode() {
  const queries = useQueryClient();
  const [values, setValues] = useState(() => initialValues(CODE_FIELDS));
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => must(api.POST("/api/promotions", { body: body as never })),
    onSuccess: async () => {
      setValues(initialValues(CODE_FIELDS));
      await queries.invalidateQueries({ queryKey: ["promotions"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.reset();
    const built = buildBody(CODE_FIELDS, values);
    setOwnErrors(built.ok ? {} : built.errors);
    if (built.ok) create.mutate(built.body);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label="New promotion code">
      <h2>New code</h2>
      <SpecFields specs={CODE_FIELDS} values={values} errors={{ ...fieldMessages(create.error), ...ownErrors }} onChange={setValues} />
      <div className="row" style={{ marginTop: 10 }}>
        <button type="submit" disabled={create.isPending}>
          Create the code
        </button>
      </div>
      <ErrorBox error={create.error} />
      {create.data ? (
        <p className="notice" role="status">
          Code {create.data.code} created.
        </p>
      ) : null}
    </form>
  );
}

/** One code: its terms (from the list) and their change, ending or reactivating it, and its usage report. */
export function PromotionUsage() {
  const { id } = useParams<{ id: string }>();
  const queries = useQueryClient();
  const codes = useQuery({ queryKey: ["promotions"], queryFn: () => must(api.GET("/api/promotions")) });
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState("");
  const setActive = useMutation({
    mutationFn: (active: boolean) =>
      active
        ? must(api.PATCH("/api/promotions/{id}", { params: { path: { id } }, body: { active: true } }))
        : must(api.DELETE("/api/promotions/{id}", { params: { path: { id } } })),
    onSuccess: async (c) => {
      setConfirming(false);
      setDone(c.active ? "The code works again." : "The code is ended: no new order can use it.");
      await queries.invalidateQueries({ queryKey: ["promotions"] });
    },
  });
  const usage = useQuery({
    queryKey: ["promotion-usage", id],
    queryFn: () => must(api.GET("/api/promotions/{id}/usage", { params: { path: { id } } })),
  });
  const code = codes.data?.items.find((c) => c.id === id);
  if (!hasRole(session(), "admin")) return <Promotions />;
  if (usage.isPending) return <Loading what="Loading the usage" />;
  if (usage.error) return <ErrorBox error={usage.error} />;
  const u = usage.data;
  return (
    <>
      <p>
        <Link href="/promotions">All promotion codes</Link>
      </p>
      <h1>Code {u.code}</h1>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      {code ? (
        <div className="row" style={{ marginBottom: 12 }}>
          <span className="badge">{code.active ? "active" : "ended"}</span>
          {code.active ? (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              End the code
            </button>
          ) : (
            <button type="button" disabled={setActive.isPending} onClick={() => setActive.mutate(true)}>
              Reactivate
            </button>
          )}
        </div>
      ) : null}
      <ErrorBox error={setActive.error} />
      <Confirm
        open={confirming}
        title={`End the code ${u.code}?`}
        confirmLabel="End the code"
        danger
        busy={setActive.isPending}
        onConfirm={() => setActive.mutate(false)}
        onCancel={() => setConfirming(false)}
      >
        <p>No new order can use it; orders that used it keep their discount, and its usage stays listed.</p>
      </Confirm>
      {code ? (
        <dl className="facts">
          <dt>Benefit</dt>
          <dd>{benefit(code)}</dd>
          <dt>Window</dt>
          <dd>
            {formatDateTime(code.startsAt)} to {code.endsAt ? formatDateTime(code.endsAt) : "no end"}
          </dd>
          <dt>Minimum subtotal</dt>
          <dd>
            {code.minSubtotalMinor && code.currency ? formatMoney(code.minSubtotalMinor, code.currency) : code.minSubtotalMinor || "none"}
          </dd>
          <dt>Eligible</dt>
          <dd>{[...code.productIds, ...code.categoryIds, ...code.brandIds].join(", ") || "every product"}</dd>
          <dt>Per customer</dt>
          <dd>{code.perCustomerLimit ?? "unlimited"}</dd>
        </dl>
      ) : null}
      {code ? <PromotionTerms key={code.id} code={code} latest={() => codes.data?.items.find((c) => c.id === id) ?? code} /> : null}
      <h2>Usage</h2>
      <p>
        Uses in force: <strong>{u.uses}</strong>
        {u.usageLimit === null ? " (no limit)" : ` of ${u.usageLimit}`}
      </p>
      {u.redemptions.length === 0 ? <Empty>No order has used this code yet.</Empty> : null}
      {u.redemptions.length ? (
        <DataTable
          caption="Redemptions by status and currency"
          rows={u.redemptions}
          rowKey={(r) => `${r.status}-${r.currency}`}
          columns={[
            { key: "status", label: "Status", render: (r) => (r.status === "held" ? "in force" : "given back (cancelled)") },
            { key: "currency", label: "Currency", render: (r) => r.currency },
            { key: "orders", label: "Orders", numeric: true, render: (r) => r.orders },
            { key: "customers", label: "Customers", numeric: true, render: (r) => r.customers },
            { key: "discount", label: "Discount granted", numeric: true, render: (r) => formatMoney(r.discountMinor, r.currency) },
          ]}
        />
      ) : null}
    </>
  );
}
