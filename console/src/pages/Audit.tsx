/**
 * The audit trail: recent entries by actor and type, one entity's timeline, and verification of the hash chain.
 * A staff member's attempted write shows what became of it, or "outcome unknown" when no outcome was recorded.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { type AuditEntryView, eventOf, outcomeOf } from "../lib/audit-entry.ts";
import { formatDateTime, formatNumber } from "../lib/format.ts";

export default function Audit() {
  const [state, update] = useTableState({ actorId: "", type: "", entityType: "", entityId: "", cursor: "" });
  const [entity, setEntity] = useState({ type: state.entityType ?? "", id: state.entityId ?? "" });
  const [actor, setActor] = useState(state.actorId ?? "");
  const entries = useQuery({
    queryKey: ["audit", state.actorId, state.type, state.cursor],
    queryFn: () =>
      must(
        api.GET("/api/audit/entries", {
          params: {
            query: {
              limit: 20,
              ...(state.actorId ? { actorId: state.actorId } : {}),
              ...(state.type ? { type: state.type } : {}),
              ...(state.cursor ? { cursor: state.cursor } : {}),
            },
          },
        }),
      ),
  });
  const timeline = useQuery({
    queryKey: ["audit-entity", state.entityType, state.entityId],
    enabled: !!state.entityType && !!state.entityId,
    queryFn: () => must(api.GET("/api/audit/entities/{type}/{id}", { params: { path: { type: state.entityType!, id: state.entityId! } } })),
  });
  const verify = useMutation({ mutationFn: () => must(api.POST("/api/audit/verify", { body: {} })) });
  const showEntity = (e: FormEvent) => {
    e.preventDefault();
    update({ entityType: entity.type.trim(), entityId: entity.id.trim() });
  };
  return (
    <>
      <h1>Audit trail</h1>
      <section className="panel">
        <h2>Chain verification</h2>
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          Verify the audit chain
        </button>
        <ErrorBox error={verify.error} />
        {verify.data ? (
          <p role="status" className={verify.data.ok ? "notice" : "alert"}>
            {verify.data.ok
              ? `The chain is intact: ${formatNumber(verify.data.checked)} entries checked from the ${verify.data.anchor.kind}.`
              : `Broken at entry ${verify.data.firstBroken?.seq} (${verify.data.firstBroken?.reason}).`}
          </p>
        ) : null}
      </section>
      <section>
        <h2>One entity's history</h2>
        <form className="filters" onSubmit={showEntity}>
          <label>
            Entity type
            <input
              name="entity-type"
              placeholder="order, product, user…"
              value={entity.type}
              onChange={(e) => setEntity({ ...entity, type: e.target.value })}
            />
          </label>
          <label>
            Entity id
            <input name="entity-id" value={entity.id} onChange={(e) => setEntity({ ...entity, id: e.target.value })} />
          </label>
          <button type="submit">Show</button>
        </form>
        <ErrorBox error={timeline.error} />
        {timeline.data ? <EntryTable caption="Entity history" rows={timeline.data.items} /> : null}
      </section>
      <section>
        <h2>Recent entries</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            update({ actorId: actor.trim() });
          }}
        >
          <label>
            Actor id
            <input name="actor" value={actor} onChange={(e) => setActor(e.target.value)} />
          </label>
          <label>
            Event type
            <input name="type" defaultValue={state.type} onBlur={(e) => update({ type: e.target.value.trim() })} />
          </label>
          <button type="submit">Filter</button>
        </form>
        <ErrorBox error={entries.error} />
        {entries.isPending ? <Loading /> : null}
        {entries.data && entries.data.items.length === 0 ? <Empty>No entries.</Empty> : null}
        {entries.data?.items.length ? (
          <>
            <EntryTable caption="Audit entries" rows={entries.data.items} />
            <Pager cursor={state.cursor!} nextCursor={entries.data.nextCursor} onPage={(cursor) => update({ cursor })} />
          </>
        ) : null}
      </section>
    </>
  );
}

interface Entry extends AuditEntryView {
  seq: number;
  occurredAt: string;
  subjectType: string;
  subjectId: string;
  actorType: string | null;
  actorId: string | null;
}

function EntryTable({ caption, rows }: { caption: string; rows: Entry[] }) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(e) => String(e.seq)}
      columns={[
        { key: "seq", label: "#", numeric: true, render: (e) => e.seq },
        { key: "at", label: "When", render: (e) => formatDateTime(e.occurredAt) },
        { key: "type", label: "Event", render: eventOf },
        { key: "outcome", label: "Outcome", render: outcomeOf },
        { key: "subject", label: "Entity", render: (e) => `${e.subjectType} ${e.subjectId}` },
        { key: "actor", label: "By", render: (e) => (e.actorId ? `${e.actorType} ${e.actorId}` : "system") },
      ]}
    />
  );
}
