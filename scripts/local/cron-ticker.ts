/**
 * Local cron: `wrangler dev` does not fire cron triggers by itself, so the
 * dev command calls its /__scheduled endpoint at the times the expressions
 * of wrangler.toml [triggers] name, as the platform would in production.
 */
import { readFileSync } from "node:fs";
import { Cron } from "croner";

export function cronsFromWranglerToml(file: string): string[] {
  const toml = readFileSync(file, "utf8");
  const block = /\[triggers\][^[]*?crons\s*=\s*\[([^\]]*)\]/s.exec(toml);
  if (!block) return [];
  return [...block[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

export function startCronTicker(baseUrl: string, crons: string[], say: (line: string) => void): () => void {
  const jobs = crons.map(
    (expr) =>
      new Cron(expr, { timezone: "UTC", protect: true }, async () => {
        try {
          const res = await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent(expr)}`);
          if (!res.ok) say(`cron "${expr}" answered ${res.status}`);
        } catch (err) {
          say(`cron "${expr}" could not reach the Worker: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
  );
  return () => {
    for (const j of jobs) j.stop();
  };
}
