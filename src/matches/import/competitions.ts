/** Display names of the competitions the football-data files cover. */
export const COMPETITION_INFO: Record<string, { name: string; country: string }> = {
  'premier-league': { name: 'Premier League', country: 'England' },
  'la-liga': { name: 'La Liga', country: 'Spain' },
  'serie-a': { name: 'Serie A', country: 'Italy' },
  bundesliga: { name: 'Bundesliga', country: 'Germany' },
  'ligue-1': { name: 'Ligue 1', country: 'France' },
};

/** Lower-cased, single-spaced: how team aliases are stored and matched. */
export function normaliseTeamName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
