/** The inputs of a form described as data (lib/form-spec.ts), each with its own error under it (the form's own check or the API's 422). */
import { useId } from "react";
import { type FieldSpec, type FormValues, visible } from "../lib/form-spec.ts";

export function SpecFields(props: {
  specs: readonly FieldSpec[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (values: FormValues) => void;
}) {
  const prefix = useId();
  return (
    <div className="form">
      {props.specs
        .filter((s) => visible(s, props.values))
        .map((spec) => {
          const id = `${prefix}-${spec.name}`;
          const error = props.errors[spec.name];
          const described = [error ? `${id}-error` : "", spec.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
          const common = {
            id,
            name: spec.name,
            value: props.values[spec.name] ?? "",
            "aria-invalid": error ? true : undefined,
            "aria-describedby": described,
          } as const;
          const set = (value: string) => props.onChange({ ...props.values, [spec.name]: value });
          return (
            <div className="field" key={spec.name}>
              <label htmlFor={id}>{spec.label}</label>
              {spec.kind === "select" ? (
                <select {...common} onChange={(e) => set(e.target.value)}>
                  {spec.options?.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              ) : spec.kind === "boolean" ? (
                <select {...common} onChange={(e) => set(e.target.value)}>
                  <option value="true">Yes</option>
                  <option value="false">No</option>
                </select>
              ) : spec.kind === "ids" ? (
                <textarea {...common} rows={2} onChange={(e) => set(e.target.value)} />
              ) : (
                <input
                  {...common}
                  type={spec.kind === "datetime" ? "datetime-local" : "text"}
                  inputMode={spec.kind === "amount" || spec.kind === "percent" ? "decimal" : spec.kind === "count" ? "numeric" : undefined}
                  onChange={(e) => set(e.target.value)}
                />
              )}
              {spec.hint ? (
                <span className="hint" id={`${id}-hint`}>
                  {spec.hint}
                </span>
              ) : null}
              {error ? (
                <span className="field-error" id={`${id}-error`}>
                  {error}
                </span>
              ) : null}
            </div>
          );
        })}
    </div>
  );
}
