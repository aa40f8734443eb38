/** URL slugs for the demo data (demo-data.ts): brand and product slugs, and the local part of customers' emails. */

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** `slug`, or `slug-2`, `slug-3` ... if it is taken; records the one returned as taken. */
export function uniqueSlug(taken: Set<string>, slug: string): string {
  let candidate = slug;
  for (let n = 2; taken.has(candidate); n++) candidate = `${slug}-${n}`;
  taken.add(candidate);
  return candidate;
}
