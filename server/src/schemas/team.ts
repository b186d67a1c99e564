import type { Team } from '@pressbox/db';
import { z } from 'zod';
import { leagueSchema } from './enums.ts';

export const teamSchema = z
  .object({
    id: z.string().meta({ examples: ['nba-bos'] }),
    league: leagueSchema,
    name: z.string().meta({ examples: ['Boston Celtics'] }),
    shortName: z.string().meta({ examples: ['Celtics'] }),
    abbreviation: z.string().meta({ examples: ['BOS'] }),
    city: z.string().meta({ examples: ['Boston'] }),
    conference: z
      .string()
      .nullable()
      .meta({ examples: ['Eastern'] }),
    division: z
      .string()
      .nullable()
      .meta({ examples: ['Atlantic'] }),
    colors: z.array(z.string()).meta({ examples: [['#007A33', '#BA9653']] }),
    aliases: z.array(z.string()).meta({ description: 'Other names news uses for the team', examples: [['Celtics', 'Celts']] }),
  })
  .meta({ id: 'Team' });

export type TeamDto = z.infer<typeof teamSchema>;

export function toTeamDto(team: Team): TeamDto {
  return {
    id: team.id,
    league: team.league,
    name: team.name,
    shortName: team.shortName,
    abbreviation: team.abbreviation,
    city: team.city,
    conference: team.conference,
    division: team.division,
    colors: team.colors,
    aliases: team.aliases,
  };
}
