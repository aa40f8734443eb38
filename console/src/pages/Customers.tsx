/** Customers and staff accounts: search by email, filter by role, newest first, paged by the server. */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "wouter";
import { api, must } from "../api/client.ts";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable, Pager, useTableState } from "../components/table.tsx";
import { formatDateTime } from "../lib/format.ts";

type Role = "customer" | "support" | "analyst" | "admin";

export default function Customers() {
  const [state, update] = useTableState({ email: "", role: "", cursor: "" });
  const [email, setEmail] = useState(state.email ?? "");
  const users = useQuery({
    queryKey: ["users", state],
    queryFn: () =>
      must(
        api.GET("/api/users", {
          params: {
            query: {
              limit: 25,
              ...(state.email ? { email: state.email } : {}),
              ...(state.role ? { role: state.role as Role } : {}),
              ...(state.cursor ? { cursor: state.cursor } : {}),
            },
          },
        }),
      ),
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    update({ email: email.trim() });
  };
  return (
    <>
      <h1>Customers</h1>
      <div className="filters">
        <form className="row" onSubmit={search}>
          <label>
            Email
            <input name="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <button type="submit">Search</button>
        </form>
        <label>
          Role
          <select value={state.role} onChange={(e) => update({ role: e.target.value })}>
            <option value="">Any</option>
            <option value="customer">Customer</option>
            <option value="support">Support</option>
            <option value="analyst">Analyst</option>
            <option value="admin">Admin</option>
          </select>
        </label>
      </div>
      <ErrorBox error={users.error} />
      {users.isPending ? <Loading what="Loading accounts" /> : null}
      {users.data && users.data.items.length === 0 ? <Empty>No accounts match.</Empty> : null}
      {users.data?.items.length ? (
        <>
          <DataTable
            caption="Accounts"
            rows={users.data.items}
            rowKey={(u) => u.id}
            columns={[
              { key: "name", label: "Name", render: (u) => <Link href={`/customers/${u.id}`}>{u.name}</Link> },
              { key: "email", label: "Email", render: (u) => u.email },
              { key: "role", label: "Role", render: (u) => u.role },
              { key: "verified", label: "Email verified", render: (u) => (u.emailVerified ? "yes" : "no") },
              { key: "created", label: "Since", render: (u) => formatDateTime(u.createdAt) },
            ]}
          />
          <Pager cursor={state.cursor!} nextCursor={users.data.nextCursor} onPage={(cursor) => update({ cursor })} />
        </>
      ) : null}
    </>
  );
}
