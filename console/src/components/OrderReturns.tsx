/** An order's returns (RMA, lines, refund) and the warehouse steps staff take: receive the parcel, then accept it (restock and refund). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { formatDateTime, formatMoney } from "../lib/format.ts";
import { Confirm } from "./Confirm.tsx";
import { Empty, ErrorBox, Loading } from "./States.tsx";

type Step = { id: string; rma: string; action: "receive" | "inspect" };

export function OrderReturns({ orderId, onChange }: { orderId: string; onChange: (message: string) => void }) {
  const queries = useQueryClient();
  const returns = useQuery({
    queryKey: ["returns", orderId],
    queryFn: () => must(api.GET("/api/delivery/returns", { params: { query: { orderId } } })),
  });
  const [step, setStep] = useState<Step | null>(null);
  const act = useMutation({
    mutationFn: (s: Step) =>
      s.action === "receive"
        ? must(api.POST("/api/delivery/returns/{id}/receive", { params: { path: { id: s.id } } }))
        : // No lines: everything that came back is accepted, restocked and refunded at the price paid.
          must(
            api.POST("/api/delivery/returns/{id}/inspect", { params: { path: { id: s.id } }, body: { note: "accepted in the console" } }),
          ),
    onSuccess: async (_r, s) => {
      setStep(null);
      onChange(s.action === "receive" ? `Return ${s.rma} received.` : `Return ${s.rma} accepted and refunded.`);
      await Promise.all([
        queries.invalidateQueries({ queryKey: ["returns", orderId] }),
        queries.invalidateQueries({ queryKey: ["order", orderId] }),
        queries.invalidateQueries({ queryKey: ["payment"] }),
      ]);
    },
  });

  return (
    <>
      <h2>Returns</h2>
      {returns.isPending ? <Loading what="Loading returns" /> : null}
      <ErrorBox error={returns.error} />
      {returns.data && returns.data.items.length === 0 ? <Empty>No return.</Empty> : null}
      {returns.data?.items.map((r) => (
        <section key={r.id} aria-label={`Return ${r.rmaNumber}`}>
          <p>
            {r.rmaNumber} · <span className="badge">{r.status}</span> · {r.reason.replaceAll("_", " ")} · opened{" "}
            {formatDateTime(r.createdAt)}
            {r.refundMinor !== null ? ` · refund ${formatMoney(r.refundMinor, r.currency)}` : ""}
          </p>
          <ul>
            {r.lines.map((l) => (
              <li key={l.sku}>
                {l.quantity} × {l.name} ({l.sku}){l.acceptedQuantity !== null ? `, ${l.acceptedQuantity} accepted` : ""}
              </li>
            ))}
          </ul>
          {r.status === "initiated" ? (
            <button type="button" onClick={() => setStep({ id: r.id, rma: r.rmaNumber, action: "receive" })}>
              Mark {r.rmaNumber} received
            </button>
          ) : null}
          {r.status === "received" ? (
            <button type="button" onClick={() => setStep({ id: r.id, rma: r.rmaNumber, action: "inspect" })}>
              Accept and refund {r.rmaNumber}
            </button>
          ) : null}
        </section>
      ))}
      <Confirm
        open={step !== null}
        title={step?.action === "receive" ? `Parcel ${step.rma} arrived?` : `Accept return ${step?.rma ?? ""}?`}
        confirmLabel={step?.action === "receive" ? "Mark received" : "Accept and refund"}
        busy={act.isPending}
        onConfirm={() => step && act.mutate(step)}
        onCancel={() => setStep(null)}
      >
        <p>
          {step?.action === "receive"
            ? "The returned parcel is at the warehouse."
            : "Every returned unit goes back into stock and is refunded at the price paid."}
        </p>
        <ErrorBox error={act.error} />
      </Confirm>
    </>
  );
}
