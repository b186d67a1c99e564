import { createHash } from 'node:crypto';
import type { GameStatus, League, PrismaClient } from '../generated/prisma/client.ts';

/**
 * A small, self-consistent demo dataset so a fresh embedded install has something to show:
 * paused demo sources (their `.invalid` URLs are never fetched), a few days of articles for six
 * teams and a fortnight of games around today. Only loaded into a database with no sources.
 */
interface DemoTeam {
  teamId: string;
  league: League;
  season: string;
  opponents: string[];
  headlines: string[];
}

const demoTeams: DemoTeam[] = [
  {
    teamId: 'nba-bos',
    league: 'NBA',
    season: '2026-27',
    opponents: ['nba-nyk', 'nba-phi', 'nba-mil', 'nba-mia', 'nba-lal', 'nba-tor'],
    headlines: [
      'Celtics hold off late rally to win fourth straight at TD Garden',
      'Tatum and Brown combine for 61 as Boston routs Eastern rival',
      'Celtics bench depth tested with two starters listed as day-to-day',
      'Mazzulla on pace: why Boston keeps launching from three',
    ],
  },
  {
    teamId: 'nba-lal',
    league: 'NBA',
    season: '2026-27',
    opponents: ['nba-gsw', 'nba-lac', 'nba-phx', 'nba-den', 'nba-bos', 'nba-sac'],
    headlines: [
      'Lakers snap skid behind a big night from the starting backcourt',
      'Los Angeles weighs rotation changes ahead of road trip',
      'Lakers defense climbs to top ten after strong November',
    ],
  },
  {
    teamId: 'nfl-kc',
    league: 'NFL',
    season: '2026',
    opponents: ['nfl-den', 'nfl-lv', 'nfl-lac', 'nfl-buf'],
    headlines: [
      'Chiefs edge division rival on late field goal',
      'Kansas City offensive line shuffles after injury in practice',
      'Chiefs defense forces three turnovers in statement win',
    ],
  },
  {
    teamId: 'nfl-phi',
    league: 'NFL',
    season: '2026',
    opponents: ['nfl-dal', 'nfl-nyg', 'nfl-was', 'nfl-sf'],
    headlines: [
      'Eagles run game powers comfortable win over NFC East foe',
      'Philadelphia secondary answers critics with two interceptions',
    ],
  },
  {
    teamId: 'epl-ars',
    league: 'PREMIER_LEAGUE',
    season: '2026-27',
    opponents: ['epl-che', 'epl-tot', 'epl-mci', 'epl-liv', 'epl-new'],
    headlines: [
      'Arsenal keep pace at the top with narrow win at the Emirates',
      'Gunners set-piece threat decisive again in London derby',
      'Arteta rotates midfield ahead of busy December schedule',
    ],
  },
  {
    teamId: 'epl-liv',
    league: 'PREMIER_LEAGUE',
    season: '2026-27',
    opponents: ['epl-eve', 'epl-mun', 'epl-avl', 'epl-ars', 'epl-bha'],
    headlines: [
      'Liverpool come from behind to win at Anfield',
      'Reds full-backs key as Liverpool dominate possession',
      'Slot praises squad depth after cup progress',
    ],
  },
];

export interface DemoSeedResult {
  sources: number;
  articles: number;
  games: number;
}

const DAY = 86_400_000;

export async function seedDemoData(prisma: PrismaClient, now = new Date()): Promise<DemoSeedResult | undefined> {
  if ((await prisma.source.count()) > 0) return undefined;
  let articles = 0;
  let games = 0;
  await prisma.$transaction(async (tx) => {
    for (const [teamIndex, demo] of demoTeams.entries()) {
      const team = await tx.team.findUnique({ where: { id: demo.teamId } });
      if (!team) continue;
      const source = await tx.source.create({
        data: {
          url: `https://demo.pressbox.invalid/${demo.teamId}.xml`,
          name: `Pressbox demo: ${team.name}`,
          kind: 'RSS',
          status: 'PAUSED',
          lastError: 'Demo source: paused, its URL is never fetched',
          teams: { create: { teamId: demo.teamId } },
        },
      });
      for (const [index, title] of demo.headlines.entries()) {
        const publishedAt = new Date(now.getTime() - (index * 19 + teamIndex * 3 + 2) * 3_600_000);
        const summary = `${title}. A demo story about the ${team.name}, included so a fresh Pressbox has news to list, search and summarise.`;
        const url = `https://demo.pressbox.invalid/${demo.teamId}/${String(index + 1)}`;
        const article = await tx.article.create({
          data: {
            sourceId: source.id,
            title,
            url,
            canonicalUrl: url,
            fingerprint: createHash('sha256').update(`${title}\n${summary}`).digest('hex'),
            author: 'Pressbox Demo Desk',
            summary,
            contentHtml: `<p>${summary}</p>`,
            publishedAt,
            fetchedAt: publishedAt,
            teams: { create: { teamId: demo.teamId, matchedBy: 'SOURCE', publishedAt } },
          },
        });
        await tx.articleSource.create({
          data: { sourceId: source.id, itemKey: url, articleId: article.id, contentHash: article.fingerprint },
        });
        articles += 1;
      }
      for (const [index, opponent] of demo.opponents.entries()) {
        const dayOffset = (index - Math.floor(demo.opponents.length / 2)) * 3 + 1;
        const startsAt = new Date(Math.floor((now.getTime() + dayOffset * DAY) / 3_600_000) * 3_600_000);
        const home = index % 2 === 0;
        const played = startsAt.getTime() < now.getTime() - 4 * 3_600_000;
        const status: GameStatus = played ? 'FINAL' : 'SCHEDULED';
        const [homeScore, awayScore] = played ? demoScore(demo.league, teamIndex * 7 + index) : [null, null];
        await tx.game.create({
          data: {
            externalId: `demo-${demo.teamId}-${String(index + 1)}`,
            league: demo.league,
            season: demo.season,
            homeTeamId: home ? demo.teamId : opponent,
            awayTeamId: home ? opponent : demo.teamId,
            startsAt,
            status,
            homeScore,
            awayScore,
          },
        });
        games += 1;
      }
    }
  });
  return { sources: demoTeams.length, articles, games };
}

function demoScore(league: League, seed: number): [number, number] {
  const spread = (seed * 37) % 11;
  if (league === 'NBA') return [104 + spread, 99 + ((seed * 13) % 15)];
  if (league === 'NFL') return [17 + (spread % 14), 13 + ((seed * 5) % 17)];
  return [spread % 4, (seed * 3) % 3];
}
