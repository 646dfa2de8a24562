/**
 * Cascade episodes: runs of consecutive ticks with liquidations, merged from `cascade$`. An
 * episode's amplification is its realized mark log-move over its exogenous log-move.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { CascadeRecord } from '../engine/events';

/** A merged run of cascade ticks. */
export interface CascadeEpisode {
  startTick: number;
  endTick: number;
  ticks: number;
  rounds: number;
  maxRounds: number;
  accounts: number;
  longNotional: number;
  shortNotional: number;
  /** Mark at the close of the tick before the episode. */
  markOpen: number;
  markAfter: number;
  /** ln(markAfter / markOpen): the whole move, exogenous part included. */
  realizedReturn: number;
  /** Σ of the ticks' exogenous log-returns. */
  exogenousReturn: number;
  /** realized / exogenous when both move the same way and |exogenous| ≥ the minimum move; else null. */
  amplification: number | null;
}

/** Smallest |exogenous log-move| for which amplification is reported (0.5%). */
export const MIN_EXOGENOUS_MOVE = 0.005;

/**
 * Amplification of a realized move over an exogenous one, or null when it is not meaningful: the
 * exogenous move is smaller than `minMove` (a ratio over tick noise says nothing) or the two move
 * in opposite directions.
 */
export function amplification(realized: number, exogenous: number, minMove = MIN_EXOGENOUS_MOVE): number | null {
  if (Math.abs(exogenous) < minMove || Math.sign(realized) !== Math.sign(exogenous)) return null;
  return realized / exogenous;
}

function close(rs: CascadeRecord[], minMove: number): CascadeEpisode {
  const first = rs[0]!, last = rs[rs.length - 1]!;
  const realized = Math.log(last.markAfter / first.markOpen);
  const exo = rs.reduce((s, r) => s + r.exogenousReturn, 0);
  return {
    startTick: first.tick, endTick: last.tick, ticks: rs.length,
    rounds: rs.reduce((s, r) => s + r.rounds, 0), maxRounds: rs.reduce((m, r) => Math.max(m, r.rounds), 0),
    accounts: rs.reduce((s, r) => s + r.accounts, 0),
    longNotional: rs.reduce((s, r) => s + r.longNotional, 0), shortNotional: rs.reduce((s, r) => s + r.shortNotional, 0),
    markOpen: first.markOpen, markAfter: last.markAfter, realizedReturn: realized, exogenousReturn: exo,
    amplification: amplification(realized, exo, minMove),
  };
}

/**
 * RxJS operator: merges consecutive-tick cascade records into episodes, emitted when a gap ends
 * one (and the last on completion).
 * @example bus.cascade$.pipe(cascadeEpisodes()).subscribe((e) => console.log(e.amplification))
 */
export function cascadeEpisodes(minMove = MIN_EXOGENOUS_MOVE): OperatorFunction<CascadeRecord, CascadeEpisode> {
  return (source) => new Observable<CascadeEpisode>((sub) => {
    let run: CascadeRecord[] = [];
    return source.subscribe({
      next(r) {
        if (run.length > 0 && r.tick !== run[run.length - 1]!.tick + 1) {
          sub.next(close(run, minMove));
          run = [];
        }
        run.push(r);
      },
      error: (e) => sub.error(e),
      complete() {
        if (run.length > 0) sub.next(close(run, minMove));
        sub.complete();
      },
    });
  });
}
