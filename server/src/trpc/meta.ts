import type { ErrorCode } from '@pressbox/db';
import type { OpenApiMeta } from 'trpc-to-openapi';

/** Procedure metadata: the REST mapping plus what the OpenAPI post-processing needs to know. */
export type Meta = OpenApiMeta<{
  /** Who may call it; set by `protectedProcedure` and `adminProcedure`, never by hand. */
  access?: 'member' | 'admin';
  /** Error codes this procedure can answer beyond the ones every procedure can. */
  errors?: ErrorCode[];
  /** HTTP status of success when it is not 200 (202 for accepted background work). */
  successStatus?: 200 | 201 | 202;
  /** The output is `Result | JobAccepted`: 200 with the result, or 202 while a job makes it. */
  deferrable?: boolean;
}>;

/** Every procedure of a router by its dotted path, with its meta (flattened: `me.preferences.get`). */
export function procedureMetas(router: { _def: { procedures: object } }): Map<string, Meta | undefined> {
  const procedures = router._def.procedures as Record<string, { _def?: { meta?: Meta; procedure?: boolean } } | undefined>;
  return new Map(
    Object.entries(procedures)
      .filter(([, procedure]) => procedure?._def?.procedure === true)
      .map(([path, procedure]) => [path, procedure?._def?.meta]),
  );
}

/** The dotted paths of a router's subscriptions (served over WebSocket only). */
export function subscriptionPaths(router: { _def: { procedures: object } }): Set<string> {
  const procedures = router._def.procedures as Record<string, { _def?: { type?: string; procedure?: boolean } } | undefined>;
  return new Set(
    Object.entries(procedures)
      .filter(([, procedure]) => procedure?._def?.procedure === true && procedure._def.type === 'subscription')
      .map(([path]) => path),
  );
}
