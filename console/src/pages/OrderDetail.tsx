/** One order: lines, totals, the saga's steps and compensations, status timeline, payment with refunds, shipments with tracking (created and dispatched by hand), returns (receive, accept and refund); refund, cancel and resend its mail. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "wouter";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { OrderReturns } from "../components/OrderReturns.tsx";
import { OrderShipments } from "../components/OrderShipments.tsx";
import { ErrorBox, Loading } from "../components/States.tsx";
import { DataTable } from "../components/table.tsx";
import { formatDateTime, formatMoney } from "../lib/format.ts";
import { resendableMail } from "../lib/order-mail.ts";

type RefundReason = "goodwill" | "return_received" | "duplicate_charge" | "order_cancelled";
type OrderBody = { id: string; number: string; status: string; userId: string; currency: string; totals: { totalMinor: number } };

export default function OrderDetail() {
  const { id } = useParams<{ id: string }>();
  const queries = useQueryClient();
  const order = useQuery({ queryKey: ["order", id], queryFn: () => must(api.GET("/api/orders/{id}", { params: { path: { id } } })) });
  const paymentId = order.data?.payment?.id;
  const payment = useQuery({
    queryKey: ["payment", paymentId],
    enabled: !!paymentId,
    queryFn: () => must(api.GET("/api/payments/{id}", { params: { path: { id: paymentId! } } })),
  });
  const [dialog, setDialog] = useState<"refund" | "cancel" | "resend" | null>(null);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState<RefundReason>("goodwill");
  const [done, setDone] = useState("");
  const refresh = () =>
    Promise.all([queries.invalidateQueries({ queryKey: ["order", id] }), queries.invalidateQueries({ queryKey: ["payment"] })]);
  const refund = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/payments/refund", {
          body: { paymentId: paymentId!, amountMinor: Math.round(Number(amount) * 100), reason },
          params: { header: { "idempotency-key": crypto.randomUUID() } },
        }),
      ),
    onSuccess: async () => {
      setDialog(null);
      setDone("Refund issued.");
      await refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: () => must(api.PUT("/api/orders/{id}/cancel", { params: { path: { id } }, body: { reason: "merchant" } })),
    onSuccess: async () => {
      setDialog(null);
      setDone("Order cancelled.");
      await refresh();
    },
  });

  const resend = useMutation({
    mutationFn: (o: OrderBody & { lines: { name: string; quantity: number; unitPriceMinor: number }[] }) => {
      const template = resendableMail(o)!;
      const base = { orderId: o.id, orderNumber: o.number, totalMinor: o.totals.totalMinor, currency: o.currency };
      const data =
        template === "order-created"
          ? { ...base, lines: o.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })) }
          : base;
      return must(
        api.POST("/api/notifications/send", {
          body: { userId: o.userId, template, data, channels: ["email"] },
          params: { header: { "idempotency-key": crypto.randomUUID() } },
        }),
      );
    },
    onSuccess: (outcome) => {
      setDialog(null);
      setDone(outcome.status === "sent" ? "The mail was sent again." : `The mail was not sent (${outcome.status}).`);
    },
  });

  if (order.isPending) return <Loading what="Loading the order" />;
  if (order.error) return <ErrorBox error={order.error} />;
  const o = order.data;
  const cur = o.currency;
  const refundable = o.payment ? o.payment.capturedMinor - o.payment.refundedMinor : 0;
  return (
    <>
      <h1>Order {o.number}</h1>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <div className="row" style={{ marginBottom: 12 }}>
        <span className="badge">{o.status.replace("_", " ")}</span>
        <span className="muted">placed {formatDateTime(o.createdAt)}</span>
        <button type="button" disabled={refundable <= 0} onClick={() => setDialog("refund")}>
          Refund
        </button>
        <button
          type="button"
          className="danger"
          disabled={["cancelled", "cancelling", "delivered"].includes(o.status)}
          onClick={() => setDialog("cancel")}
        >
          Cancel order
        </button>
        {hasRole(session(), "admin") ? (
          <button type="button" disabled={resendableMail(o) === null} onClick={() => setDialog("resend")}>
            Resend mail
          </button>
        ) : null}
      </div>
      <DataTable
        caption="Order lines"
        rows={o.lines}
        rowKey={(l) => String(l.lineNo)}
        columns={[
          { key: "name", label: "Product", render: (l) => `${l.name} (${l.sku})` },
          { key: "qty", label: "Quantity", numeric: true, render: (l) => l.quantity },
          { key: "unit", label: "Unit price", numeric: true, render: (l) => formatMoney(l.unitPriceMinor, cur) },
          { key: "total", label: "Line total", numeric: true, render: (l) => formatMoney(l.lineTotalMinor, cur) },
        ]}
      />
      <p>
        Subtotal {formatMoney(o.totals.subtotalMinor, cur)} · shipping {formatMoney(o.totals.shippingMinor, cur)} · discount{" "}
        {formatMoney(o.totals.discountMinor, cur)} · <strong>total {formatMoney(o.totals.totalMinor, cur)}</strong>
      </p>
      <div className="grid2">
        <section className="panel">
          <h2>Checkout saga</h2>
          <ol className="timeline">
            {o.steps.map((s) => (
              <li key={s.step}>
                {s.step.replace("_", " ")} —{" "}
                <span className={`badge ${s.state === "done" ? "ok" : s.state === "failed" ? "bad" : "warn"}`}>{s.state}</span>
                {s.attempts > 1 ? ` after ${s.attempts} attempts` : ""}
                {s.error ? <div className="muted">{s.error}</div> : null}
              </li>
            ))}
          </ol>
          <h2>Status timeline</h2>
          <ol className="timeline">
            {o.timeline.map((t) => (
              <li key={`${t.status}-${t.at}`}>
                {formatDateTime(t.at)}: {t.status.replace("_", " ")} {t.note ? <span className="muted">({t.note})</span> : null}
              </li>
            ))}
          </ol>
        </section>
        <section className="panel">
          <h2>Payment</h2>
          {o.payment ? (
            <p>
              {o.payment.status}: captured {formatMoney(o.payment.capturedMinor, cur)}, refunded {formatMoney(o.payment.refundedMinor, cur)}
            </p>
          ) : (
            <p className="muted">No payment yet.</p>
          )}
          {payment.data?.refunds.length ? (
            <ul aria-label="Refunds">
              {payment.data.refunds.map((r) => (
                <li key={r.id}>
                  {formatMoney(r.amountMinor, cur)} · {r.reason} · {r.status} · {formatDateTime(r.createdAt)}
                </li>
              ))}
            </ul>
          ) : null}
          <OrderShipments order={o} onChange={setDone} />
          <OrderReturns orderId={id} onChange={setDone} />
          <h2>Ship to</h2>
          <p>
            {o.shippingAddress.name}, {o.shippingAddress.line1}, {o.shippingAddress.postalCode} {o.shippingAddress.city},{" "}
            {o.shippingAddress.country}
          </p>
        </section>
      </div>
      <Confirm
        open={dialog === "refund"}
        title={`Refund order ${o.number}`}
        confirmLabel="Issue refund"
        busy={refund.isPending}
        onConfirm={() => refund.mutate()}
        onCancel={() => setDialog(null)}
      >
        <p>Up to {formatMoney(refundable, cur)} can be refunded.</p>
        <label>
          Amount ({cur})
          <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label>
          Reason
          <select value={reason} onChange={(e) => setReason(e.target.value as RefundReason)}>
            <option value="goodwill">Goodwill</option>
            <option value="return_received">Return received</option>
            <option value="duplicate_charge">Duplicate charge</option>
          </select>
        </label>
        <ErrorBox error={refund.error} />
      </Confirm>
      <Confirm
        open={dialog === "cancel"}
        title={`Cancel order ${o.number}?`}
        confirmLabel="Cancel the order"
        danger
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onCancel={() => setDialog(null)}
      >
        <p>The shipment is stopped, the stock returned and the payment refunded or voided.</p>
        <ErrorBox error={cancel.error} />
      </Confirm>
      <Confirm
        open={dialog === "resend"}
        title={`Resend the mail of order ${o.number}?`}
        confirmLabel="Send it again"
        busy={resend.isPending}
        onConfirm={() => resend.mutate(o)}
        onCancel={() => setDialog(null)}
      >
        <p>The customer gets the {resendableMail(o) === "order-created" ? "order received" : "order confirmed"} mail again, by email.</p>
        <ErrorBox error={resend.error} />
      </Confirm>
    </>
  );
}
