/** Review moderation: the queue (oldest first), abuse reports of a review, approve or reject several at once. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { formatDateTime } from "../lib/format.ts";

type Status = "pending" | "approved" | "rejected" | "all";
type Decision = "approve" | "reject";

export default function Reviews() {
  const [state, update] = useTableState({ status: "pending", cursor: "" });
  const queries = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [decision, setDecision] = useState<Decision | null>(null);
  const [openReports, setOpenReports] = useState<string | null>(null);
  const reviews = useQuery({
    queryKey: ["reviews", state.status, state.cursor],
    queryFn: () =>
      must(
        api.GET("/api/reviews", {
          params: {
            query: { status: state.status as Status, sort: "oldest", limit: 25, ...(state.cursor ? { cursor: state.cursor } : {}) },
          },
        }),
      ),
  });
  const reports = useQuery({
    queryKey: ["review-reports", openReports],
    enabled: !!openReports,
    queryFn: () => must(api.GET("/api/reviews/{id}/reports", { params: { path: { id: openReports! } } })),
  });
  const moderate = useMutation({
    mutationFn: async (d: Decision) => {
      // One call per review; every one is tried and the first refusal is reported.
      const results = await Promise.allSettled(
        [...selected].map((id) => must(api.POST("/api/reviews/{id}/moderation", { params: { path: { id } }, body: { decision: d } }))),
      );
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    },
    onSettled: async () => {
      setDecision(null);
      setSelected(new Set());
      await queries.invalidateQueries({ queryKey: ["reviews"] });
    },
  });
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const items = reviews.data?.items ?? [];
  return (
    <>
      <h1>Reviews</h1>
      <div className="filters">
        <label>
          Show
          <select value={state.status} onChange={(e) => update({ status: e.target.value })}>
            <option value="pending">Waiting for moderation</option>
            <option value="approved">Approved</option>
            <option value="rejected">Rejected</option>
            <option value="all">All</option>
          </select>
        </label>
        <button type="button" disabled={!selected.size} onClick={() => setDecision("approve")}>
          Approve selected ({selected.size})
        </button>
        <button type="button" className="danger" disabled={!selected.size} onClick={() => setDecision("reject")}>
          Reject selected
        </button>
      </div>
      <ErrorBox error={reviews.error ?? moderate.error} />
      {reviews.isPending ? <Loading what="Loading reviews" /> : null}
      {reviews.data && items.length === 0 ? <Empty>No reviews here.</Empty> : null}
      {items.length ? (
        <>
          <DataTable
            caption="Reviews"
            rows={items}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "pick",
                label: "Select",
                render: (r) => (
                  <input
                    type="checkbox"
                    aria-label={`Select the review ${r.title ?? r.id}`}
                    checked={selected.has(r.id)}
                    onChange={() => toggle(r.id)}
                  />
                ),
              },
              { key: "rating", label: "Stars", numeric: true, render: (r) => r.rating },
              {
                key: "text",
                label: "Review",
                render: (r) => (
                  <>
                    <strong>{r.title}</strong>
                    <div>{r.body}</div>
                    <div className="muted">
                      {r.authorName ?? r.userId} · product {r.productId} · {r.status}
                    </div>
                  </>
                ),
              },
              { key: "created", label: "Written", render: (r) => formatDateTime(r.createdAt) },
              {
                key: "reports",
                label: "Reports",
                render: (r) => (
                  <button type="button" className="secondary" onClick={() => setOpenReports(openReports === r.id ? null : r.id)}>
                    {openReports === r.id ? "Hide" : "Show"}
                  </button>
                ),
              },
            ]}
          />
          <Pager cursor={state.cursor!} nextCursor={reviews.data?.nextCursor} onPage={(cursor) => update({ cursor })} />
        </>
      ) : null}
      {openReports ? (
        <section className="panel" aria-label="Abuse reports">
          <h2>Abuse reports</h2>
          <ErrorBox error={reports.error} />
          {reports.data?.items.length === 0 ? <Empty>No reports for this review.</Empty> : null}
          <ul>
            {reports.data?.items.map((rep) => (
              <li key={rep.id}>
                {rep.reason.replace("_", " ")} {rep.note ? `— ${rep.note}` : ""} · {rep.resolved ? "resolved" : "open"} ·{" "}
                {formatDateTime(rep.createdAt)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Confirm
        open={decision !== null}
        title={`${decision === "approve" ? "Approve" : "Reject"} ${selected.size} review(s)?`}
        confirmLabel={decision === "approve" ? "Approve" : "Reject"}
        danger={decision === "reject"}
        busy={moderate.isPending}
        onConfirm={() => decision && moderate.mutate(decision)}
        onCancel={() => setDecision(null)}
      />
    </>
  );
}
