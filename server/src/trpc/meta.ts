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
}>;
