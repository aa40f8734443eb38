/** One account: profile, role (admins only), addresses, orders, and erasure of personal data behind a two-step confirmation. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { api, must } from "../api/client.ts";
import { hasRole, session } from "../api/session.ts";
import { Confirm } from "../components/Confirm.tsx";
import { ErrorBox, Loading } from "../components/States.tsx";
import { formatDateTime, formatMoney } from "../lib/format.ts";

type Role = "customer" | "support" | "analyst" | "admin";

export default function CustomerDetail() {
  const { id } = useParams<{ id: string }>();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const admin = hasRole(session(), "admin");
  const user = useQuery({ queryKey: ["user", id], queryFn: () => must(api.GET("/api/users/{id}", { params: { path: { id } } })) });
  const addresses = useQuery({
    queryKey: ["addresses", id],
    queryFn: () => must(api.GET("/api/users/{id}/addresses", { params: { path: { id } } })),
  });
  const orders = useQuery({
    queryKey: ["orders-of", id],
    queryFn: () => must(api.GET("/api/orders", { params: { query: { userId: id, limit: 10 } } })),
  });
  const [role, setRole] = useState<Role | "">("");
  const [eraseStep, setEraseStep] = useState(0);
  const [typed, setTyped] = useState("");
  const changeRole = useMutation({
    mutationFn: (next: Role) => must(api.PUT("/api/users/{id}", { params: { path: { id } }, body: { role: next } })),
    onSuccess: (saved) => queries.setQueryData(["user", id], saved),
  });
  const erase = useMutation({
    mutationFn: () => must(api.DELETE("/api/users/{id}", { params: { path: { id } } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ["users"] });
      navigate("/customers");
    },
  });
  if (user.isPending) return <Loading what="Loading the account" />;
  if (user.error) return <ErrorBox error={user.error} />;
  const u = user.data;
  return (
    <>
      <h1>{u.name}</h1>
      <p>
        {u.email} · {u.role} · since {formatDateTime(u.createdAt)} · email {u.emailVerified ? "verified" : "not verified"}
      </p>
      {admin ? (
        <form
          className="row panel"
          onSubmit={(e) => {
            e.preventDefault();
            if (role) changeRole.mutate(role);
          }}
        >
          <label>
            Role
            <select value={role || u.role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="customer">Customer</option>
              <option value="support">Support</option>
              <option value="analyst">Analyst</option>
              <option value="admin">Admin</option>
            </select>
          </label>
          <button type="submit" disabled={!role || role === u.role}>
            Change role
          </button>
          <ErrorBox error={changeRole.error} />
        </form>
      ) : null}
      <div className="grid2">
        <section className="panel">
          <h2>Addresses</h2>
          <ErrorBox error={addresses.error} />
          <ul>
            {addresses.data?.items.map((a) => (
              <li key={a.id}>
                {a.recipient}, {a.line1}, {a.postalCode} {a.city}, {a.country} {a.isDefaultShipping ? "(default)" : ""}
              </li>
            ))}
          </ul>
          {addresses.data?.items.length === 0 ? <p className="muted">No addresses.</p> : null}
        </section>
        <section className="panel">
          <h2>Orders</h2>
          <ErrorBox error={orders.error} />
          <ul>
            {orders.data?.items.map((o) => (
              <li key={o.id}>
                <Link href={`/orders/${o.id}`}>{o.number}</Link> · {o.status} · {formatMoney(o.totals.totalMinor, o.totals.currency)}
              </li>
            ))}
          </ul>
          {orders.data?.items.length === 0 ? <p className="muted">No orders.</p> : null}
        </section>
      </div>
      {admin ? (
        <section className="panel">
          <h2>Erase this account</h2>
          <p>Personal data is erased and every session ends. Orders stay, without the person's data.</p>
          <button type="button" className="danger" onClick={() => setEraseStep(1)}>
            Erase account…
          </button>
        </section>
      ) : null}
      <Confirm
        open={eraseStep === 1}
        title="Erase this account?"
        confirmLabel="Continue"
        danger
        onConfirm={() => setEraseStep(2)}
        onCancel={() => setEraseStep(0)}
      >
        <p>This cannot be undone.</p>
      </Confirm>
      <Confirm
        open={eraseStep === 2}
        title="Confirm the erasure"
        confirmLabel="Erase for good"
        danger
        busy={erase.isPending || typed !== u.email}
        onConfirm={() => erase.mutate()}
        onCancel={() => setEraseStep(0)}
      >
        <label>
          Type the account's email to confirm
          <input name="confirm-email" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <ErrorBox error={erase.error} />
      </Confirm>
    </>
  );
}
