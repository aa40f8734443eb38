/** Loading, empty and error states, the same on every page. */
import { describeProblem, ProblemError } from "../lib/problem.ts";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: string }) {
  return <p className="muted">{children}</p>;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ProblemError ? error.problem : undefined;
  const text = problem ? describeProblem(problem) : { headline: error instanceof Error ? error.message : String(error), fields: [] };
  return (
    <div className="alert" role="alert">
      <p>
        <strong>{text.headline}</strong>
      </p>
      {"detail" in text && text.detail ? <p>{text.detail}</p> : null}
      {text.fields.length ? (
        <ul>
          {text.fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
      {problem?.requestId ? <p className="muted">Request id: {problem.requestId}</p> : null}
    </div>
  );
}
