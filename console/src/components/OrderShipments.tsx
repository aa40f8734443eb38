/** An order's shipments with their tracking and timeline, and the hand-over to the carrier (admins) behind a confirmation. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { formatDateTime } from "../lib/format.ts";
import { Confirm } from "./Confirm.tsx";
import { Empty, ErrorBox, Loading } from "./States.tsx";

export function OrderShipments({ orderId, onChange }: { orderId: string; onChange: (message: string) => void }) {
  const queries = useQueryClient();
  const shipments = useQuery({
    queryKey: ["shipments", orderId],
    queryFn: () => must(api.GET("/api/delivery/shipments", { params: { query: { orderId, limit: 20 } } })),
  });
  const [dispatching, setDispatching] = useState<{ id: string; trackingNumber: string } | null>(null);
  const dispatch = useMutation({
    mutationFn: (id: string) =>
      must(
        api.POST("/api/delivery/shipments/{id}/status", {
          params: { path: { id } },
          body: { status: "dispatched", note: "handed to the carrier (console)" },
        }),
      ),
    onSuccess: async () => {
      setDispatching(null);
      onChange("Shipment marked as dispatched.");
      await Promise.all([
        queries.invalidateQueries({ queryKey: ["shipments", orderId] }),
        queries.invalidateQueries({ queryKey: ["order", orderId] }),
      ]);
    },
  });

  return (
    <>
      <h2>Shipments</h2>
      {shipments.isPending ? <Loading what="Loading shipments" /> : null}
      <ErrorBox error={shipments.error} />
      {shipments.data && shipments.data.items.length === 0 ? <Empty>No shipment yet.</Empty> : null}
      {shipments.data?.items.map((s) => (
        <section key={s.id} aria-label={`Shipment ${s.trackingNumber}`}>
          <p>
            {s.carrier} {s.trackingNumber} · <span className="badge">{s.status.replaceAll("_", " ")}</span>{" "}
            {s.trackingUrl ? <a href={s.trackingUrl}>tracking</a> : null}
          </p>
          <ol className="timeline">
            {s.timeline.map((t) => (
              <li key={`${t.status}-${t.at}`}>
                {formatDateTime(t.at)}: {t.status.replaceAll("_", " ")} {t.note ? <span className="muted">({t.note})</span> : null}
              </li>
            ))}
          </ol>
          {s.status === "label_created" ? (
            <button type="button" onClick={() => setDispatching({ id: s.id, trackingNumber: s.trackingNumber })}>
              Mark as dispatched
            </button>
          ) : null}
        </section>
      ))}
      <Confirm
        open={dispatching !== null}
        title={`Dispatch shipment ${dispatching?.trackingNumber ?? ""}?`}
        confirmLabel="Mark as dispatched"
        busy={dispatch.isPending}
        onConfirm={() => dispatching && dispatch.mutate(dispatching.id)}
        onCancel={() => setDispatching(null)}
      >
        <p>The parcel has left with the carrier; the customer is told it is on its way. This cannot be undone.</p>
        <ErrorBox error={dispatch.error} />
      </Confirm>
    </>
  );
}
