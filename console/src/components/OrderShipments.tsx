/**
 * An order's shipments with their tracking and timeline, and, for admins behind a confirmation: the hand-over to
 * the carrier, and a shipment created by hand for a confirmed order that has none.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { formatDateTime } from "../lib/format.ts";
import { canShipByHand, type ShippableOrder, shipmentRequestOf } from "../lib/manual-shipment.ts";
import { Confirm } from "./Confirm.tsx";
import { Empty, ErrorBox, Loading } from "./States.tsx";

export function OrderShipments({ order, onChange }: { order: ShippableOrder; onChange: (message: string) => void }) {
  const orderId = order.id;
  const queries = useQueryClient();
  const shipments = useQuery({
    queryKey: ["shipments", orderId],
    queryFn: () => must(api.GET("/api/delivery/shipments", { params: { query: { orderId, limit: 20 } } })),
  });
  const [dispatching, setDispatching] = useState<{ id: string; trackingNumber: string } | null>(null);
  const [creating, setCreating] = useState(false);
  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ["shipments", orderId] }),
      queries.invalidateQueries({ queryKey: ["order", orderId] }),
    ]);
  const create = useMutation({
    mutationFn: () => must(api.POST("/api/delivery/shipments", { body: shipmentRequestOf(order) })),
    onSuccess: async (shipment) => {
      setCreating(false);
      onChange(`Shipment ${shipment.trackingNumber} created.`);
      await refresh();
    },
  });
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
      await refresh();
    },
  });

  return (
    <>
      <h2>Shipments</h2>
      {shipments.isPending ? <Loading what="Loading shipments" /> : null}
      <ErrorBox error={shipments.error} />
      {shipments.data && shipments.data.items.length === 0 ? <Empty>No shipment yet.</Empty> : null}
      {shipments.data && canShipByHand(order, shipments.data.items.length) && hasRole(session(), "admin") ? (
        <button type="button" onClick={() => setCreating(true)}>
          Create shipment
        </button>
      ) : null}
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
      <Confirm
        open={creating}
        title={`Create a shipment for order ${order.number}?`}
        confirmLabel="Create shipment"
        busy={create.isPending}
        onConfirm={() => create.mutate()}
        onCancel={() => setCreating(false)}
      >
        <p>
          A carrier label is bought for the order's {order.lines.reduce((n, l) => n + l.quantity, 0)} item(s), to{" "}
          {order.shippingAddress.name}, {order.shippingAddress.city} ({order.shippingAddress.country}). An order has one shipment: this
          cannot be repeated.
        </p>
        <ErrorBox error={create.error} />
      </Confirm>
    </>
  );
}
