/**
 * Editing a timed discount: the create form's fields filled from the
 * discount, sending only what changed with If-Match. A change made elsewhere
 * meanwhile is refused with "someone else changed this"; the list is read
 * again, so saving once more applies the edit over the version now shown.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { api, must } from "../api/client.ts";
import { SpecFields } from "../components/SpecForm.tsx";
import { ErrorBox } from "../components/States.tsx";
import { type Discount, discountFields } from "../lib/discounts.ts";
import { buildChange, valuesOf } from "../lib/form-spec.ts";
import { fieldMessages } from "../lib/problem.ts";

export function DiscountEdit(props: {
  discount: Discount;
  /** The discount as the list holds it now (a newer version after a conflict). */
  latest: () => Discount;
  categories: (readonly [string, string])[];
  onDone: (message: string) => void;
}) {
  const queries = useQueryClient();
  const specs = useMemo(() => discountFields(props.categories), [props.categories]);
  // The values the form opened with: what is compared to find the changes.
  const [before] = useState(() => valuesOf(discountFields([]), props.discount as unknown as Record<string, unknown>));
  const [values, setValues] = useState(before);
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => {
      const current = props.latest();
      return must(
        api.PATCH("/api/products/discounts/{id}", {
          params: { path: { id: current.id }, header: { "if-match": `"v${current.version}"` } },
          body: body as never,
        }),
      );
    },
    onSuccess: async (saved) => {
      await queries.invalidateQueries({ queryKey: ["discounts"] });
      props.onDone(`Discount ${saved.name} saved.`);
    },
    onError: () => queries.invalidateQueries({ queryKey: ["discounts"] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    const built = buildChange(specs, before, values);
    setOwnErrors(built.ok ? {} : built.errors);
    if (!built.ok) return;
    if (Object.keys(built.body).length === 0) return props.onDone("Nothing was changed.");
    save.mutate(built.body);
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={`Edit the discount ${props.discount.name}`}>
      <h2>Edit {props.discount.name}</h2>
      <SpecFields specs={specs} values={values} errors={{ ...fieldMessages(save.error), ...ownErrors }} onChange={setValues} />
      <div className="row" style={{ marginTop: 10 }}>
        <button type="submit" disabled={save.isPending}>
          Save the discount
        </button>
        <button type="button" className="secondary" onClick={() => props.onDone("")}>
          Cancel
        </button>
      </div>
      <ErrorBox error={save.error} />
    </form>
  );
}
