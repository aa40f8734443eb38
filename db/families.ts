/**
 * The Postgres schema families, in the order their migrations apply. Each
 * family owns `db/schema/<family>.ts` and `db/migrations/<family>/`, and its
 * applied migrations are recorded in `drizzle.__migrations_<family>`, so a
 * family's schema evolves (and could be deployed) on its own. New families
 * append themselves here. Cross-family foreign keys are not used: a family
 * refers to another's rows by id only.
 */
export const DB_FAMILIES = [
  "database",
  "events",
  "ops",
  "scheduler",
  "pipeline",
  "users",
  "catalog",
  "inventory",
  "audit",
  "auth",
  "search",
  "notifications",
  "reviews",
  "payments",
  "delivery",
  "orders",
  "analytics",
  "recommendations",
  "backups",
  "reports",
  "tax",
  "promotions",
  "invoices",
] as const;
