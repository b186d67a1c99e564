import { teamStreamInput } from '../../schemas/live.ts';

export const input = teamStreamInput;
