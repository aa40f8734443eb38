/**
 * An order's returns (RMA, lines, refund) and the warehouse steps staff take:
 * receive the parcel, then inspect it: the units accepted per line go back
 * into stock and are refunded at the price paid (all of them unless fewer are
 * typed; none accepted rejects the return).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { formatDateTime, formatMoney } from "../lib/format.ts";
import { Confirm } from "./Confirm.tsx";
import { Empty, ErrorBox, Loading } from "./States.tsx";

type Step = { id: string; rma: string; action: "receive" | "inspect"; lines: { sku: string; quantity: number }[] };

export function OrderReturns({ orderId, onChange }: { orderId: string; onChange: (message: string) => void }) {
  const queries = useQueryClient();
  const returns = useQuery({
    queryKey: ["returns", orderId],
    queryFn: () => must(api.GET("/api/delivery/returns", { params: { query: { orderId } } })),
  });
  const [step, setStep] = useState<Step | null>(null);
  /** Units accepted per SKU as typed in the inspection dialog. */
  const [accepted, setAccepted] = useState<Record<string, string>>({});
  const open = (s: Step) => {
    act.reset();
    setAccepted(Object.fromEntries(s.lines.map((l) => [l.sku, String(l.quantity)])));
    setStep(s);
  };
  const partial = (s: Step) => s.lines.some((l) => Number(accepted[l.sku] ?? l.quantity) !== l.quantity);
  const act = useMutation({
    mutationFn: (s: Step) =>
      s.action === "receive"
        ? must(api.POST("/api/delivery/returns/{id}/receive", { params: { path: { id: s.id } } }))
        : must(
            api.POST("/api/delivery/returns/{id}/inspect", {
              params: { path: { id: s.id } },
              // No lines: everything that came back is accepted; otherwise every line once, with what was accepted of it.
              body: partial(s)
                ? {
                    note: "inspected in the console",
                    lines: s.lines.map((l) => ({ sku: l.sku, acceptedQuantity: Number(accepted[l.sku]) })),
                  }
                : { note: "accepted in the console" },
            }),
          ),
    onSuccess: async (r, s) => {
      setStep(null);
      onChange(
        s.action === "receive"
          ? `Return ${s.rma} received.`
          : r.status === "rejected"
            ? `Return ${s.rma} rejected: nothing accepted, nothing refunded.`
            : partial(s)
              ? `Return ${s.rma} partly accepted and refunded.`
              : `Return ${s.rma} accepted and refunded.`,
      );
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
            <button type="button" onClick={() => open({ id: r.id, rma: r.rmaNumber, action: "receive", lines: r.lines })}>
              Mark {r.rmaNumber} received
            </button>
          ) : null}
          {r.status === "received" ? (
            <button type="button" onClick={() => open({ id: r.id, rma: r.rmaNumber, action: "inspect", lines: r.lines })}>
              Inspect {r.rmaNumber}
            </button>
          ) : null}
        </section>
      ))}
      <Confirm
        open={step !== null}
        title={step?.action === "receive" ? `Parcel ${step.rma} arrived?` : `Inspect return ${step?.rma ?? ""}`}
        confirmLabel={step?.action === "receive" ? "Mark received" : "Accept and refund"}
        busy={act.isPending}
        onConfirm={() => step && act.mutate(step)}
        onCancel={() => setStep(null)}
      >
        {step?.action === "inspect" ? (
          <div className="form">
            {step.lines.map((l) => (
              <label key={l.sku}>
                Units of {l.sku} accepted (of {l.quantity})
                <input
                  type="number"
                  min={0}
                  max={l.quantity}
                  step={1}
                  required
                  value={accepted[l.sku] ?? ""}
                  onChange={(e) => setAccepted({ ...accepted, [l.sku]: e.target.value })}
                />
              </label>
            ))}
          </div>
        ) : null}
        <p>
          {step?.action === "receive"
            ? "The returned parcel is at the warehouse."
            : "The units accepted go back into stock and are refunded at the price paid; none accepted rejects the return."}
        </p>
        <ErrorBox error={act.error} />
      </Confirm>
    </>
  );
}
