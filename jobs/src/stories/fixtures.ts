import type { StoryText } from './similarity.ts';

/** A pair of articles from two sources and whether a reader would call them one story. */
export interface StoryPair {
  why: string;
  a: StoryText;
  b: StoryText;
  same: boolean;
}

const t = (title: string, summary = ''): StoryText => ({ title, summary });

/**
 * Pairs written for the story grouping: wire copies, rewrites, truncations and translations of
 * headline style on one side; the same teams, players and topics in other stories on the other.
 */
export const storyPairs: StoryPair[] = [
  // One story.
  {
    why: 'wire copy, identical',
    a: t(
      'Celtics beat Knicks 112-104 behind Tatum’s 34',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    b: t(
      'Celtics beat Knicks 112-104 behind Tatum’s 34',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    same: true,
  },
  {
    why: 'wire copy with a site suffix in the headline',
    a: t(
      'Celtics beat Knicks 112-104 behind Tatum’s 34',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    b: t(
      'Celtics beat Knicks 112-104 behind Tatum’s 34 | Boston Sports Daily',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    same: true,
  },
  {
    why: 'wire copy, one summary truncated',
    a: t(
      'Lakers sign veteran guard to one-year deal',
      'The Los Angeles Lakers signed veteran guard Marcus Hale to a one-year, $3.2 million contract on Friday, adding depth behind their starting backcourt before training camp.',
    ),
    b: t(
      'Lakers sign veteran guard to one-year deal',
      'The Los Angeles Lakers signed veteran guard Marcus Hale to a one-year, $3.2 million contract on Friday…',
    ),
    same: true,
  },
  {
    why: 'rewritten headline, same lead',
    a: t(
      'Tatum pours in 34 as Boston holds off New York',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    b: t(
      'Celtics beat Knicks 112-104 behind Tatum’s 34',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    same: true,
  },
  {
    why: 'rewritten lead, same facts and score',
    a: t('Celtics edge Knicks 112-104', 'Jayson Tatum had 34 points as Boston beat New York 112-104 at TD Garden.'),
    b: t('Tatum scores 34, Celtics top Knicks 112-104', 'Boston got 34 points from Jayson Tatum and beat the Knicks 112-104 on Tuesday.'),
    same: true,
  },
  {
    why: 'headline only on one side, same headline',
    a: t('Chiefs place Kelce on injured reserve'),
    b: t(
      'Chiefs place Kelce on injured reserve',
      'Kansas City placed tight end Travis Kelce on injured reserve on Wednesday with a knee injury, ruling him out for at least four games.',
    ),
    same: true,
  },
  {
    why: 'headline reworded with the same names',
    a: t(
      'Chiefs put Travis Kelce on IR with knee injury',
      'Kansas City placed tight end Travis Kelce on injured reserve on Wednesday with a knee injury.',
    ),
    b: t(
      'Kelce headed to injured reserve for Chiefs',
      'The Chiefs placed tight end Travis Kelce on injured reserve Wednesday because of a knee injury.',
    ),
    same: true,
  },
  {
    why: 'syndicated with a dateline added',
    a: t(
      'Arsenal complete signing of midfielder from Lyon',
      'LONDON (AP) — Arsenal completed the signing of midfielder Théo Marchand from Lyon on Monday for a reported 45 million euros.',
    ),
    b: t(
      'Arsenal complete signing of midfielder from Lyon',
      'Arsenal completed the signing of midfielder Theo Marchand from Lyon on Monday for a reported 45 million euros.',
    ),
    same: true,
  },
  {
    why: 'accents and punctuation differ',
    a: t('Marchand joins Arsenal in €45m move', 'Théo Marchand has joined Arsenal from Lyon in a deal worth €45m.'),
    b: t('Marchand joins Arsenal in 45m move', 'Theo Marchand has joined Arsenal from Lyon in a deal worth 45m.'),
    same: true,
  },
  {
    why: 'same trade, different angle in the headline',
    a: t(
      'Warriors trade Reyes to Hornets for two second-round picks',
      'The Golden State Warriors traded forward Dante Reyes to the Charlotte Hornets for two second-round picks on Thursday.',
    ),
    b: t(
      'Hornets land Dante Reyes from Warriors',
      'The Charlotte Hornets acquired forward Dante Reyes from the Golden State Warriors on Thursday in exchange for two second-round picks.',
    ),
    same: true,
  },
  {
    why: 'copy with an extra last sentence',
    a: t(
      'Yankees activate Cole from injured list',
      'The New York Yankees activated right-hander Gerrit Cole from the 15-day injured list on Saturday.',
    ),
    b: t(
      'Yankees activate Cole from injured list',
      'The New York Yankees activated right-hander Gerrit Cole from the 15-day injured list on Saturday. He is set to start Sunday against Boston.',
    ),
    same: true,
  },
  {
    why: 'headline case and quotes differ',
    a: t(
      '"We weren’t good enough," Klopp says after derby loss',
      'Jurgen Klopp said his side were not good enough after a 2-1 derby defeat at Goodison Park.',
    ),
    b: t(
      'We weren’t good enough, Klopp says after derby loss',
      'Jurgen Klopp said his side were not good enough after the 2-1 derby defeat at Goodison Park on Saturday.',
    ),
    same: true,
  },
  {
    why: 'same signing, amounts written differently',
    a: t(
      'Bruins re-sign Pastrnak to eight-year, $90 million extension',
      'Boston re-signed forward David Pastrnak to an eight-year, $90,000,000 contract extension.',
    ),
    b: t(
      'Pastrnak, Bruins agree on eight-year extension',
      'David Pastrnak and the Boston Bruins agreed on an eight-year, $90 million contract extension on Tuesday.',
    ),
    same: true,
  },
  {
    why: 'a short brief of a long report',
    a: t(
      'Dodgers name Ramos opening day starter',
      'Manager Dave Roberts said Tuesday that right-hander Luis Ramos will start on opening day against the Padres, ending weeks of speculation in camp about who would take the ball first.',
    ),
    b: t('Ramos to start opening day for Dodgers', 'Luis Ramos will start on opening day against the Padres, Dave Roberts said.'),
    same: true,
  },
  {
    why: 'headline with a team prefix',
    a: t(
      'NFL: Bills sign linebacker Jones to practice squad',
      'The Buffalo Bills signed linebacker Tre Jones to their practice squad on Monday.',
    ),
    b: t('Bills sign linebacker Jones to practice squad', 'The Buffalo Bills signed linebacker Tre Jones to the practice squad Monday.'),
    same: true,
  },
  {
    why: 'game recap, same score, different words',
    a: t(
      'Rangers blank Devils 3-0 as Shesterkin makes 31 saves',
      'Igor Shesterkin stopped all 31 shots and the New York Rangers beat the New Jersey Devils 3-0.',
    ),
    b: t(
      'Shesterkin’s 31-save shutout lifts Rangers past Devils',
      'Igor Shesterkin made 31 saves for his third shutout of the season as the Rangers beat the Devils 3-0 on Friday.',
    ),
    same: true,
  },

  // Two stories.
  {
    why: 'same teams, another game',
    a: t(
      'Celtics beat Knicks 112-104 behind Tatum’s 34',
      'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
    ),
    b: t(
      'Celtics beat Knicks 98-95 behind Tatum’s 29',
      'Jayson Tatum scored 29 points and the Boston Celtics held off the New York Knicks 98-95 on Sunday night.',
    ),
    same: false,
  },
  {
    why: 'same teams, the other result',
    a: t('Celtics beat Knicks 112-104', 'Boston beat New York 112-104 at TD Garden.'),
    b: t('Knicks beat Celtics 101-99', 'New York beat Boston 101-99 at Madison Square Garden.'),
    same: false,
  },
  {
    why: 'same player, injury then return',
    a: t(
      'Chiefs place Kelce on injured reserve',
      'Kansas City placed tight end Travis Kelce on injured reserve on Wednesday with a knee injury.',
    ),
    b: t(
      'Kelce returns to Chiefs practice',
      'Travis Kelce returned to practice on Thursday, four weeks after the Chiefs placed him on injured reserve.',
    ),
    same: false,
  },
  {
    why: 'same team, another signing',
    a: t(
      'Lakers sign veteran guard to one-year deal',
      'The Los Angeles Lakers signed veteran guard Marcus Hale to a one-year, $3.2 million contract on Friday.',
    ),
    b: t(
      'Lakers sign rookie forward to two-way deal',
      'The Los Angeles Lakers signed undrafted forward Kofi Mensah to a two-way contract on Friday.',
    ),
    same: false,
  },
  {
    why: 'preview and recap of one game',
    a: t(
      'Preview: Rangers host Devils in Metropolitan Division clash',
      'The Rangers look to extend their winning streak to five games when they host the Devils on Friday.',
    ),
    b: t(
      'Rangers blank Devils 3-0 as Shesterkin makes 31 saves',
      'Igor Shesterkin stopped all 31 shots and the New York Rangers beat the New Jersey Devils 3-0.',
    ),
    same: false,
  },
  {
    why: 'template headlines of two nights',
    a: t('Yankees vs. Red Sox: live updates', 'Follow along as the Yankees take on the Red Sox at Fenway Park on Friday.'),
    b: t('Yankees vs. Blue Jays: live updates', 'Follow along as the Yankees take on the Blue Jays at Rogers Centre on Saturday.'),
    same: false,
  },
  {
    why: 'same manager, two press conferences',
    a: t('Klopp: we weren’t good enough in the derby', 'Jurgen Klopp said his side were not good enough after the 2-1 derby defeat.'),
    b: t('Klopp praises youngsters after cup win', 'Jurgen Klopp praised his young players after a 4-0 League Cup win over Burnley.'),
    same: false,
  },
  {
    why: 'same club, transfer in and transfer out',
    a: t(
      'Arsenal complete signing of midfielder from Lyon',
      'Arsenal completed the signing of midfielder Theo Marchand from Lyon on Monday for a reported 45 million euros.',
    ),
    b: t(
      'Arsenal midfielder completes loan move to Lyon',
      'Arsenal midfielder Sam Okafor has joined Lyon on loan for the rest of the season.',
    ),
    same: false,
  },
  {
    why: 'two trades of one team on one day',
    a: t(
      'Warriors trade Reyes to Hornets for two second-round picks',
      'The Golden State Warriors traded forward Dante Reyes to the Charlotte Hornets for two second-round picks.',
    ),
    b: t(
      'Warriors acquire guard Mills from Spurs',
      'The Golden State Warriors acquired guard Jalen Mills from the San Antonio Spurs for a future second-round pick.',
    ),
    same: false,
  },
  {
    why: 'a player’s two milestones',
    a: t('Ovechkin scores 850th career goal', 'Alex Ovechkin scored his 850th career goal in the Capitals’ 4-2 win over Philadelphia.'),
    b: t('Ovechkin scores 851st career goal', 'Alex Ovechkin scored his 851st career goal in the Capitals’ 3-1 win over Pittsburgh.'),
    same: false,
  },
  {
    why: 'headlines alone, same teams, two stories',
    a: t('Bills sign linebacker Jones to practice squad'),
    b: t('Bills release linebacker Jones'),
    same: false,
  },
  {
    why: 'injury report versus contract news of one player',
    a: t(
      'Cole leaves start with elbow tightness',
      'Gerrit Cole left his start against Toronto in the third inning with right elbow tightness.',
    ),
    b: t(
      'Yankees, Cole discuss contract extension',
      'The Yankees and Gerrit Cole have opened talks on a contract extension, according to people familiar with the discussions.',
    ),
    same: false,
  },
  {
    why: 'season opener schedules of two leagues',
    a: t('NFL releases 2026 schedule', 'The NFL released its 2026 regular-season schedule on Wednesday.'),
    b: t('NBA releases 2026-27 schedule', 'The NBA released its 2026-27 regular-season schedule on Thursday.'),
    same: false,
  },
  {
    why: 'a roundup and one of its games',
    a: t(
      'NHL roundup: Rangers, Bruins and Oilers win',
      'The Rangers beat the Devils 3-0, the Bruins topped the Leafs 4-2 and the Oilers won in overtime.',
    ),
    b: t(
      'Bruins top Maple Leafs 4-2 behind Pastrnak’s two goals',
      'David Pastrnak scored twice as the Boston Bruins beat the Toronto Maple Leafs 4-2 on Friday night.',
    ),
    same: false,
  },
  {
    why: 'draft pick of two teams',
    a: t(
      'Spurs take French center with No. 3 pick',
      'The San Antonio Spurs selected French center Jules Laurent with the third overall pick.',
    ),
    b: t('Rockets take Duke forward with No. 4 pick', 'The Houston Rockets selected Duke forward Cam Bryant with the fourth overall pick.'),
    same: false,
  },
];

/**
 * Pairs written after the thresholds were set and never used to set them: the test reports
 * precision and recall on them apart, as an estimate of how the rule does on stories it has not
 * seen.
 */
export const heldOutStoryPairs: StoryPair[] = [
  {
    why: 'wire recap under two headlines',
    a: t(
      'Packers rally past Bears 27-24 on late field goal',
      'Anders Carlson kicked a 41-yard field goal as time expired and the Green Bay Packers beat the Chicago Bears 27-24.',
    ),
    b: t(
      'Carlson’s last-second kick lifts Green Bay over Chicago',
      'Anders Carlson made a 41-yard field goal as time expired, giving the Packers a 27-24 win over the Bears on Sunday.',
    ),
    same: true,
  },
  {
    why: 'suspension, copied with a source line',
    a: t(
      'NBA suspends Suns guard three games for altercation',
      'The NBA suspended Phoenix Suns guard Eli Carter three games without pay on Monday for his role in an altercation.',
    ),
    b: t(
      'NBA suspends Suns guard three games for altercation - Valley Hoops',
      'The NBA suspended Phoenix Suns guard Eli Carter three games without pay on Monday for his role in an altercation, the league said.',
    ),
    same: true,
  },
  {
    why: 'manager sacked, two wordings',
    a: t(
      'Everton sack manager after eight straight defeats',
      'Everton have sacked manager Paul Doyle after a run of eight consecutive Premier League defeats.',
    ),
    b: t('Doyle out at Everton after losing run', 'Paul Doyle has been sacked by Everton following eight straight Premier League defeats.'),
    same: true,
  },
  {
    why: 'extension with the amount in the headline only',
    a: t(
      'Mets extend Alonso through 2030 for $150 million',
      'Pete Alonso and the New York Mets agreed on a contract extension through the 2030 season.',
    ),
    b: t(
      'Alonso, Mets agree on extension through 2030',
      'The New York Mets and first baseman Pete Alonso agreed on a contract extension through 2030, the team announced.',
    ),
    same: true,
  },
  {
    why: 'shootout win, numbers in both',
    a: t('Oilers beat Flames 4-3 in shootout', 'Connor McDavid scored the winner in the shootout as Edmonton beat Calgary 4-3.'),
    b: t(
      'McDavid wins it in shootout as Oilers edge Flames',
      'Connor McDavid scored the decisive shootout goal and the Edmonton Oilers beat the Calgary Flames 4-3 on Saturday.',
    ),
    same: true,
  },
  {
    why: 'same rivalry, two seasons',
    a: t(
      'Packers rally past Bears 27-24 on late field goal',
      'Anders Carlson kicked a 41-yard field goal as time expired and the Green Bay Packers beat the Chicago Bears 27-24.',
    ),
    b: t(
      'Packers hold off Bears 20-17',
      'Jordan Love threw two touchdown passes and the Green Bay Packers held off the Chicago Bears 20-17.',
    ),
    same: false,
  },
  {
    why: 'same club, manager sacked then hired',
    a: t(
      'Everton sack manager after eight straight defeats',
      'Everton have sacked manager Paul Doyle after a run of eight consecutive Premier League defeats.',
    ),
    b: t('Everton appoint new manager on two-year deal', 'Everton have appointed Marta Silva as manager on a two-year contract.'),
    same: false,
  },
  {
    why: 'same team, injury news of two players',
    a: t(
      'Suns guard Carter out with ankle sprain',
      'Phoenix Suns guard Eli Carter will miss at least two weeks with a sprained left ankle.',
    ),
    b: t(
      'Suns forward Diallo out with hamstring strain',
      'Phoenix Suns forward Moussa Diallo will miss at least two weeks with a strained right hamstring.',
    ),
    same: false,
  },
  {
    why: 'league-wide news with the same template',
    a: t('NHL announces 2027 All-Star Game host city', 'The NHL said Tuesday that Calgary will host the 2027 All-Star Game.'),
    b: t('MLB announces 2027 All-Star Game host city', 'Major League Baseball said Tuesday that Denver will host the 2027 All-Star Game.'),
    same: false,
  },
  {
    why: 'one player, two games',
    a: t(
      'McDavid scores twice as Oilers beat Canucks 5-2',
      'Connor McDavid scored twice and added an assist as Edmonton beat Vancouver 5-2.',
    ),
    b: t(
      'McDavid wins it in shootout as Oilers edge Flames',
      'Connor McDavid scored the decisive shootout goal and the Edmonton Oilers beat the Calgary Flames 4-3 on Saturday.',
    ),
    same: false,
  },
];
