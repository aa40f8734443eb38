/**
 * Inventory: every SKU's level (search, status, sort), the stock held by reservations, and one SKU's
 * live level (WebSocket), its live holds, adjustment with a reason, and its ledger.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox } from "../components/States.tsx";
import { DataTable, useTableState } from "../components/table.tsx";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import { useLiveStock } from "../lib/live-stock.ts";
import { HeldStock } from "./HeldStock.tsx";
import { SkuHolds } from "./SkuHolds.tsx";
import { StockLevels } from "./StockLevels.tsx";

export default function Inventory() {
  const [state, update] = useTableState({
    sku: "",
    levelSku: "",
    levelStatus: "",
    levelSort: "sku",
    levelCursor: "",
    heldSku: "",
    heldCursor: "",
    holdsCursor: "",
  });
  const [find, setFind] = useState(state.sku ?? "");
  const go = (e: FormEvent) => {
    e.preventDefault();
    update({ sku: find.trim(), holdsCursor: "" });
  };
  return (
    <>
      <h1>Inventory</h1>
      <form className="filters" onSubmit={go}>
        <label>
          SKU
          <input name="sku" value={find} onChange={(e) => setFind(e.target.value)} />
        </label>
        <button type="submit">Open</button>
      </form>
      {state.sku ? (
        <SkuPanel sku={state.sku} key={state.sku} holdsCursor={state.holdsCursor!} onHoldsPage={(holdsCursor) => update({ holdsCursor })} />
      ) : null}
      <HeldStock state={state} update={update} />
      <StockLevels state={state} update={update} />
    </>
  );
}

function SkuPanel({ sku, holdsCursor, onHoldsPage }: { sku: string; holdsCursor: string; onHoldsPage: (cursor: string) => void }) {
  const queries = useQueryClient();
  const live = useLiveStock(sku);
  const level = useQuery({ queryKey: ["level", sku], queryFn: () => must(api.GET("/api/inventory/{sku}", { params: { path: { sku } } })) });
  const ledger = useQuery({
    queryKey: ["ledger", sku],
    queryFn: () => must(api.GET("/api/inventory/{sku}/ledger", { params: { path: { sku }, query: { limit: 20 } } })),
  });
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const adjust = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/inventory/{sku}/adjust", {
          params: { path: { sku } },
          body: { delta: Number(delta), reason, operationId: crypto.randomUUID() },
        }),
      ),
    onSuccess: async () => {
      setConfirming(false);
      setDelta("");
      setReason("");
      await queries.invalidateQueries({ queryKey: ["ledger", sku] });
    },
  });
  const shown = live.level ?? level.data;
  return (
    <section className="panel" aria-labelledby="sku-title">
      <h2 id="sku-title">{sku}</h2>
      <ErrorBox error={level.error} />
      <p>
        <span className={`badge ${live.connected ? "ok" : "warn"}`}>{live.connected ? "live" : "connecting…"}</span>
      </p>
      {shown ? (
        <div className="cards" aria-live="polite" data-testid="live-level">
          {[
            ["On hand", shown.onHand],
            ["Reserved", shown.reserved],
            ["Available", shown.available],
          ].map(([label, value]) => (
            <div className="card" key={label}>
              <div className="label">{label}</div>
              <div className="value" data-metric={String(label).toLowerCase().replace(" ", "-")}>
                {formatNumber(Number(value))}
              </div>
            </div>
          ))}
        </div>
      ) : null}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirming(true);
        }}
      >
        <label>
          Change on hand by
          <input name="delta" type="number" required value={delta} onChange={(e) => setDelta(e.target.value)} />
        </label>
        <label>
          Reason
          <input name="reason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit">Adjust</button>
      </form>
      <Confirm
        open={confirming}
        title={`Adjust ${sku} by ${delta}?`}
        confirmLabel="Adjust stock"
        busy={adjust.isPending}
        onConfirm={() => adjust.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>Reason: {reason}</p>
        <ErrorBox error={adjust.error} />
      </Confirm>
      <SkuHolds sku={sku} cursor={holdsCursor} onPage={onHoldsPage} />
      <h2>Ledger</h2>
      <ErrorBox error={ledger.error} />
      {ledger.data?.items.length ? (
        <DataTable
          caption={`Ledger of ${sku}`}
          rows={ledger.data.items}
          rowKey={(m) => String(m.seq)}
          columns={[
            { key: "at", label: "When", render: (m) => formatDateTime(m.at) },
            { key: "kind", label: "Movement", render: (m) => m.kind },
            { key: "delta", label: "On hand change", numeric: true, render: (m) => formatNumber(m.onHandDelta) },
            { key: "onHand", label: "On hand after", numeric: true, render: (m) => formatNumber(m.onHand) },
            { key: "reason", label: "Reason", render: (m) => m.reason ?? "—" },
            { key: "actor", label: "By", render: (m) => m.actor },
          ]}
        />
      ) : (
        <Empty>No movements yet.</Empty>
      )}
    </section>
  );
}
