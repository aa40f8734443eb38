/**
 * What `cloudflare:workers` means on Deno (deno.json maps the specifier
 * here): the base class the object classes extend, holding the state and
 * env their host hands them (kv-objects.ts).
 */
export class DurableObject<Env = unknown> {
  constructor(
    protected readonly ctx: DurableObjectState,
    protected readonly env: Env,
  ) {}
}
