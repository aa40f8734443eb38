/**
 * A promotion code's terms changed from its page: window, limits, minimum,
 * priority and combinability (the API's PATCH), sending only what changed
 * with If-Match. A change made elsewhere meanwhile is refused with "someone
 * else changed this" and the code is read again, so saving once more applies
 * the edit over the version now shown; a limit below the uses taken says so.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { SpecFields } from "../components/SpecForm.tsx";
import { ErrorBox } from "../components/States.tsx";
import { buildChange, type FieldSpec, valuesOf } from "../lib/form-spec.ts";
import { fieldMessages } from "../lib/problem.ts";

/** One entry per body field of PATCH /api/promotions/{id} the page edits (`active` has its own buttons). */
const TERMS_FIELDS: FieldSpec[] = [
  { name: "startsAt", label: "Starts", kind: "datetime", omitWhenEmpty: true },
  { name: "endsAt", label: "Ends", kind: "datetime", hint: "Empty: no end" },
  { name: "usageLimit", label: "Uses in all", kind: "count", hint: "Empty: unlimited; not below the uses taken" },
  { name: "perCustomerLimit", label: "Uses per customer", kind: "count", hint: "Empty: unlimited" },
  { name: "minSubtotalMinor", label: "Minimum order subtotal", kind: "amount", omitWhenEmpty: true, hint: "0 for none" },
  { name: "priority", label: "Priority", kind: "integer", omitWhenEmpty: true, hint: "Higher applies first, -1000 to 1000" },
  { name: "combinable", label: "Combines with other codes", kind: "boolean" },
];

interface Code {
  id: string;
  code: string;
  version: number;
}

export function PromotionTerms({ code, latest }: { code: Code & Record<string, unknown>; latest: () => Code }) {
  const queries = useQueryClient();
  const [before, setBefore] = useState(() => valuesOf(TERMS_FIELDS, code));
  const [values, setValues] = useState(before);
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState("");
  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ["promotions"] }),
      queries.invalidateQueries({ queryKey: ["promotion-usage", code.id] }),
    ]);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => {
      const current = latest();
      return must(
        api.PATCH("/api/promotions/{id}", {
          params: { path: { id: current.id }, header: { "if-match": `"v${current.version}"` } },
          body: body as never,
        }),
      );
    },
    onSuccess: async (changed) => {
      // The saved terms are the new starting point of the next change.
      const now = valuesOf(TERMS_FIELDS, changed as unknown as Record<string, unknown>);
      setBefore(now);
      setValues(now);
      setSaved(`The terms of ${changed.code} are saved.`);
      await refresh();
    },
    onError: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    setSaved("");
    const built = buildChange(TERMS_FIELDS, before, values);
    setOwnErrors(built.ok ? {} : built.errors);
    if (!built.ok) return;
    if (Object.keys(built.body).length === 0) return setSaved("Nothing was changed.");
    save.mutate(built.body);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={`Terms of ${code.code}`}>
      <h2>Window and limits</h2>
      <SpecFields specs={TERMS_FIELDS} values={values} errors={{ ...fieldMessages(save.error), ...ownErrors }} onChange={setValues} />
      <div className="row" style={{ marginTop: 10 }}>
        <button type="submit" disabled={save.isPending}>
          Save the terms
        </button>
      </div>
      <ErrorBox error={save.error} />
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
    </form>
  );
}
