import { errorCodes, type ErrorCode } from '@pressbox/db';
import { z } from 'zod';

export const errorStatus: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export const errorMessages: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The request is not valid',
  UNAUTHORIZED: 'Sign in to use this API: send Authorization: Bearer <session token>',
  FORBIDDEN: 'You do not have access to this resource',
  NOT_FOUND: 'Not found',
  CONFLICT: 'The resource changed since you read it',
  PAYLOAD_TOO_LARGE: 'The request body is larger than 1 MiB',
  UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json',
  TOO_MANY_REQUESTS: 'Too many requests; retry after the number of seconds in Retry-After',
  REQUEST_HEADER_FIELDS_TOO_LARGE: 'The URL and headers of a request may take 16 KiB at most',
  INTERNAL_SERVER_ERROR: 'Internal server error',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable',
};

export const issueSchema = z
  .looseObject({
    code: z.string().meta({ description: 'Machine-readable kind of problem, e.g. `invalid_type`' }),
    path: z.array(z.union([z.string(), z.number()])).meta({ description: 'Where in the input the problem is' }),
    message: z.string(),
  })
  .meta({ id: 'ValidationIssue', description: 'One problem with the input' });

export const errorBodySchema = z
  .object({
    code: z.enum(errorCodes).meta({ description: 'Stable error code' }),
    message: z.string().meta({ description: 'What went wrong, for humans' }),
    requestId: z.string().meta({ description: 'The id of the request; also in the `x-request-id` header' }),
    issues: z.array(issueSchema).optional().meta({ description: 'Validation problems (400 only)' }),
  })
  .meta({
    id: 'Error',
    description: 'Every error response has this body',
    examples: [{ code: 'NOT_FOUND', message: 'No team with id nba-xyz', requestId: '0b6c8a1e-4d7f-4f1e-9d55-2b8f6f0e7c11' }],
  });

export type ErrorBody = z.infer<typeof errorBodySchema>;
export type Issue = z.infer<typeof issueSchema>;
