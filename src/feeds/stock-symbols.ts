/**
 * The demo ticker list: familiar symbols with a starting price and their own character (drift and
 * volatility per one-second step, typical volume per step). Prices are simulated, not market data.
 */

export interface SimulatedStock {
  symbol: string;
  name: string;
  /** Price at the start of the simulation. */
  price: number;
  /** Mean log return per step (a small upward or downward bias). */
  drift: number;
  /** Standard deviation of the log return per step. */
  volatility: number;
  /** Typical shares traded per step. */
  volume: number;
}

export const DEFAULT_STOCKS: readonly SimulatedStock[] = [
  { symbol: 'AAPL', name: 'Apple', price: 228.5, drift: 0.00002, volatility: 0.0008, volume: 900 },
  { symbol: 'MSFT', name: 'Microsoft', price: 431.2, drift: 0.00002, volatility: 0.0007, volume: 500 },
  { symbol: 'NVDA', name: 'NVIDIA', price: 132.8, drift: 0.00005, volatility: 0.0018, volume: 4000 },
  { symbol: 'GOOGL', name: 'Alphabet', price: 178.4, drift: 0.00001, volatility: 0.0009, volume: 600 },
  { symbol: 'AMZN', name: 'Amazon', price: 201.7, drift: 0.00002, volatility: 0.001, volume: 800 },
  { symbol: 'META', name: 'Meta Platforms', price: 585.3, drift: 0.00003, volatility: 0.0012, volume: 350 },
  { symbol: 'TSLA', name: 'Tesla', price: 252.1, drift: -0.00002, volatility: 0.0025, volume: 2000 },
  { symbol: 'NFLX', name: 'Netflix', price: 712.9, drift: 0.00001, volatility: 0.0011, volume: 120 },
  {
    symbol: 'AMD',
    name: 'Advanced Micro Devices',
    price: 154.6,
    drift: 0.00001,
    volatility: 0.0016,
    volume: 1100,
  },
  { symbol: 'GME', name: 'GameStop', price: 23.4, drift: -0.00003, volatility: 0.004, volume: 1500 },
];
