/** The demo accounts' people (demo-data.ts): the fixed staff and the names customers are made from. All invented. */

/** Fixed staff accounts, one per back-office role; their emails are the ones documented for local use. */
export const STAFF = [
  { email: "admin@example.com", name: "Alex Morgan", role: "admin" },
  { email: "support@example.com", name: "Sam Rivera", role: "support" },
  { email: "analyst@example.com", name: "Priya Shah", role: "analyst" },
] as const;

export const FIRST_NAMES = ["Jordan", "Maria", "Wei", "Olivia", "Liam", "Amara", "Noah", "Sofia", "Kenji", "Fatima", "Lucas", "Ingrid"];
export const LAST_NAMES = [
  "Lee",
  "Garcia",
  "Chen",
  "Brown",
  "O'Connor",
  "Okafor",
  "Müller",
  "Rossi",
  "Tanaka",
  "Haddad",
  "Silva",
  "Larsen",
];
