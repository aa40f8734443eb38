/** Sign-in with a second-factor step for accounts that have one; the page's URL is kept, so the user lands where they were. */
import { type FormEvent, useState } from "react";
import { signIn, signInSecondFactor } from "../api/session.ts";
import { ErrorBox } from "../components/States.tsx";
import { ProblemError, toProblem } from "../lib/problem.ts";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [ticket, setTicket] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = ticket ? await signInSecondFactor(ticket, code.trim()) : await signIn(email, password);
      if (result.kind === "mfa") setTicket(result.ticket);
      if (result.kind === "failed") {
        const body = await result.response.json().catch(() => null);
        const problem = toProblem(result.response.status, body, result.response.headers.get("x-request-id"));
        // On the sign-in form a 401 means the credentials, not an expired session.
        if (problem.status === 401) problem.detail = problem.detail ?? "The email, password or code is not correct.";
        setError(new ProblemError(problem.status === 401 ? { ...problem, status: 400, title: "Sign-in refused" } : problem));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin panel" id="main">
      <h1>Sign in to the console</h1>
      <form onSubmit={submit}>
        {ticket ? (
          <label>
            Authentication code (or a recovery code)
            <input
              name="code"
              autoComplete="one-time-code"
              inputMode="text"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
        ) : (
          <>
            <label>
              Email
              <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <label>
              Password
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          </>
        )}
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {ticket ? "Verify" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
