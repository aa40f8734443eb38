/** The gate (signed in, staff only) around the shell and its pages. */
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import { Route, Switch } from "wouter";
import { isStaff, onSessionChange, refreshSession, type Session, session, signOut } from "./api/session.ts";
import { Shell } from "./components/Shell.tsx";
import { Loading } from "./components/States.tsx";
import { Dashboard } from "./pages/Dashboard.tsx";
import { SignIn } from "./pages/SignIn.tsx";

// The dashboard is the first screen; every other page loads when first opened.
const Orders = lazy(() => import("./pages/Orders.tsx"));
const OrderDetail = lazy(() => import("./pages/OrderDetail.tsx"));
const Products = lazy(() => import("./pages/Products.tsx"));
const ProductEdit = lazy(() => import("./pages/ProductEdit.tsx"));
const Inventory = lazy(() => import("./pages/Inventory.tsx"));
const Reviews = lazy(() => import("./pages/Reviews.tsx"));
const Customers = lazy(() => import("./pages/Customers.tsx"));
const CustomerDetail = lazy(() => import("./pages/CustomerDetail.tsx"));
const Operations = lazy(() => import("./pages/Operations.tsx"));
const Audit = lazy(() => import("./pages/Audit.tsx"));
const Reports = lazy(() => import("./pages/Reports.tsx"));
const Backups = lazy(() => import("./pages/Backups.tsx"));
const Metrics = lazy(() => import("./pages/Metrics.tsx"));
const Taxonomy = lazy(() => import("./pages/Taxonomy.tsx"));
const Discounts = lazy(() => import("./pages/Discounts.tsx"));
const Promotions = lazy(() => import("./pages/Promotions.tsx"));
const PromotionUsage = lazy(() => import("./pages/Promotions.tsx").then((m) => ({ default: m.PromotionUsage })));

export function App() {
  const [current, setCurrent] = useState<Session | null>(session());
  const [restoring, setRestoring] = useState(true);
  const queries = useQueryClient();
  useEffect(() => onSessionChange(setCurrent), []);
  useEffect(() => {
    // A reload keeps the session through the refresh cookie; the access token itself never left memory.
    void refreshSession().finally(() => setRestoring(false));
  }, []);
  useEffect(() => {
    if (!current) queries.clear();
  }, [current, queries]);

  if (restoring && !current) return <Loading what="Opening the console" />;
  if (!current) return <SignIn />;
  if (!isStaff(current)) {
    return (
      <main className="signin" id="main">
        <h1>This console is for the shop's staff</h1>
        <p>You are signed in with a customer account. The shop's own pages are where you can see your orders and account.</p>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </main>
    );
  }
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/" component={Dashboard} />
          <Route path="/orders" component={Orders} />
          <Route path="/orders/:id" component={OrderDetail} />
          <Route path="/products" component={Products} />
          <Route path="/products/new" component={ProductEdit} />
          <Route path="/products/:id" component={ProductEdit} />
          <Route path="/inventory" component={Inventory} />
          <Route path="/reviews" component={Reviews} />
          <Route path="/customers" component={Customers} />
          <Route path="/customers/:id" component={CustomerDetail} />
          <Route path="/operations" component={Operations} />
          <Route path="/audit" component={Audit} />
          <Route path="/reports" component={Reports} />
          <Route path="/backups" component={Backups} />
          <Route path="/metrics" component={Metrics} />
          <Route path="/categories" component={Taxonomy} />
          <Route path="/discounts" component={Discounts} />
          <Route path="/promotions" component={Promotions} />
          <Route path="/promotions/:id" component={PromotionUsage} />
          <Route>
            <h1>Not found</h1>
            <p>There is no console page at this address.</p>
          </Route>
        </Switch>
      </Suspense>
    </Shell>
  );
}
