/** Light and dark themes: the system's preference until the user picks one (kept in localStorage, not a secret). */
export type Theme = "light" | "dark";

export function preferredTheme(): Theme {
  const saved = localStorage.getItem("console-theme");
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

export function toggleTheme(): Theme {
  const next: Theme = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  localStorage.setItem("console-theme", next);
  applyTheme(next);
  return next;
}
