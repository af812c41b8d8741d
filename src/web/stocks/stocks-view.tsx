/** @jsxImportSource preact */
/** Stocks: a ticker table whose changed prices flash up/down, and a price chart for the selected symbol. */
import { useEffect } from 'preact/hooks';
import { TimeChart } from '../components/time-chart.tsx';
import { formatClock, formatInteger, formatPrice, formatSigned } from '../lib/format.ts';
import {
  lastUpdate,
  quoteRows,
  selectedPriceData,
  selectedSymbol,
  startStocks,
  stopStocks,
} from './stocks-store.ts';

export function StocksView() {
  useEffect(() => {
    startStocks();
    return stopStocks;
  }, []);
  const rows = quoteRows.value;
  const selected = selectedSymbol.value;
  const selectedRow = rows.find((row) => row.quote.symbol === selected);
  return (
    <section class="view stocks" aria-labelledby="stocks-title">
      <header class="view-header">
        <h2 id="stocks-title">Stocks</h2>
        <p class="muted">
          {lastUpdate.value ? `updated ${formatClock(lastUpdate.value)}` : 'waiting for quotes…'}
        </p>
      </header>
      <div class="stocks-layout">
        <div class="card table-card">
          <table class="ticker" data-testid="ticker">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col" class="num">
                  Change
                </th>
                <th scope="col" class="num hide-narrow">
                  High / Low
                </th>
                <th scope="col" class="num hide-narrow">
                  Volume
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ quote, move, tick }) => (
                <tr
                  key={quote.symbol}
                  class={quote.symbol === selected ? 'selected' : ''}
                  aria-selected={quote.symbol === selected}
                >
                  <th scope="row">
                    <button
                      type="button"
                      class="link-button"
                      onClick={() => (selectedSymbol.value = quote.symbol)}
                    >
                      <span class="symbol">{quote.symbol}</span>
                      <span class="symbol-name">{quote.name}</span>
                    </button>
                  </th>
                  <td key={`${quote.symbol}-${tick}`} class={`num price flash-${move}`}>
                    {formatPrice(quote.price)}
                  </td>
                  <td class={`num ${quote.change >= 0 ? 'up' : 'down'}`}>
                    {formatSigned(quote.change)} ({formatSigned(quote.change_percent)}%)
                  </td>
                  <td class="num hide-narrow">
                    {formatPrice(quote.high)} / {formatPrice(quote.low)}
                  </td>
                  <td class="num hide-narrow">{formatInteger(quote.volume)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p class="empty">No quotes yet.</p> : null}
        </div>
        <div class="card">
          <TimeChart
            title={selectedRow ? `${selectedRow.quote.symbol} · ${selectedRow.quote.name}` : 'Price'}
            testId="chart-price"
            data={selectedPriceData}
            formatValue={formatPrice}
            series={[{ label: 'Price', colorVar: '--chart-1', fill: true }]}
            height={260}
            yRange="data"
          />
        </div>
      </div>
    </section>
  );
}
