/** Navigation, quick search ("/" focuses it), theme switch and sign-out around every page. */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useLocation, useRoute } from "wouter";
import { hasRole, type Role, session, signOut } from "../api/session.ts";
import { toggleTheme } from "../lib/theme.ts";

type Page = readonly [href: string, label: string, onlyFor?: readonly Role[]];

// Pages whose every action needs a role are listed only for it (the API refuses the others anyway).
const pages: readonly Page[] = [
  ["/", "Dashboard"],
  ["/orders", "Orders"],
  ["/products", "Catalogue"],
  ["/categories", "Categories and brands", ["admin"]],
  ["/discounts", "Timed discounts", ["admin"]],
  ["/promotions", "Promotions", ["admin"]],
  ["/inventory", "Inventory"],
  ["/customers", "Customers"],
  ["/reviews", "Reviews"],
  ["/operations", "Operations"],
  ["/audit", "Audit"],
  ["/reports", "Reports"],
  ["/backups", "Backups"],
  ["/metrics", "Metrics"],
];

function NavLink({ href, children }: { href: string; children: string }) {
  const [exact] = useRoute(href);
  const [nested] = useRoute(`${href}/*`);
  const active = exact || (href !== "/" && nested);
  return (
    <Link href={href} aria-current={active ? "page" : undefined}>
      {children}
    </Link>
  );
}

/** Where a quick search goes: an order id, a product id, an email, or else a SKU. */
export function quickSearchTarget(text: string): string | null {
  const q = text.trim();
  if (!q) return null;
  if (/^ord_[0-9A-Z]{26}$/i.test(q)) return `/orders/${q}`;
  if (/^prd_[0-9A-Z]{26}$/i.test(q)) return `/products/${q}`;
  if (/^usr_[0-9A-Z]{26}$/i.test(q)) return `/customers/${q}`;
  if (q.includes("@")) return `/customers?email=${encodeURIComponent(q)}`;
  return `/inventory?sku=${encodeURIComponent(q)}`;
}

export function Shell({ children }: { children: ReactNode }) {
  const [, navigate] = useLocation();
  const [query, setQuery] = useState("");
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      if (e.key === "/" && !typing) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const go = (e: FormEvent) => {
    e.preventDefault();
    const target = quickSearchTarget(query);
    if (target) navigate(target);
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <nav className="nav" aria-label="Console">
        <div className="brand">Edge Commerce</div>
        {pages
          .filter(([, , onlyFor]) => !onlyFor || hasRole(session(), ...onlyFor))
          .map(([href, label]) => (
            <NavLink key={href} href={href}>
              {label}
            </NavLink>
          ))}
        <div className="spacer" />
      </nav>
      <main id="main">
        <div className="topbar">
          <form aria-label="Quick search" onSubmit={go} className="row grow">
            <label className="visually-hidden" htmlFor="quick-search">
              Quick search
            </label>
            <input
              id="quick-search"
              ref={search}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="Order id, product id, email or SKU (press /)"
              style={{ minWidth: "min(360px, 100%)" }}
            />
            <button type="submit">Go</button>
          </form>
          <button type="button" className="secondary" onClick={() => toggleTheme()}>
            Switch theme
          </button>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
          <button type="button" className="secondary" onClick={() => void signOut(true)}>
            Sign out everywhere
          </button>
        </div>
        {children}
      </main>
    </div>
  );
}
