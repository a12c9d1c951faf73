# The sysbench sweep's chart, drawn from ddb_bench --sysbench-csv's medians
# by bench/plot-sweep (which passes the variables below, read off the CSV).
# One row of panels per sysbench test: on the left transactions/s against
# client threads for every setup, on the right each ddb setup's ratio to
# native replication (solid) and to plain MariaDB (dashed), with parity
# marked — the two things issue 13 asks the chart to show.
#
# Variables: csv, png (paths); tests, setups, ddbs, threads (space-separated
# words: test names, setup keys such as "plain native ddb1 ddb2", the ddb
# keys alone, the thread counts).

set datafile separator comma
set datafile columnheaders
rows = words(tests)
set terminal pngcairo size 1400, 520 * rows font "sans,11" noenhanced
set output png

label(k) = k eq "plain" ? "plain MariaDB" : \
           k eq "native" ? "MariaDB + native replica" : \
           sprintf("ddb, %s slave%s", k[4:], k[4:] eq "1" ? "" : "s")
# One colour per setup, the same on both panels.
colour(k) = sum [i = 1:words(setups)] (word(setups, i) eq k ? i : 0)
# A row of another test is undefined here: the CSV lists each test's rows
# together, so every line stays unbroken within its test.
pick(t, name) = strcol("test") eq t ? column(name) : NaN

# Client threads grow by powers of two or four: a log axis spaces them evenly.
set logscale x 2
set xtics ()
do for [n in threads] { set xtics add (n n + 0) }
lo = word(threads, 1) + 0
hi = word(threads, words(threads)) + 0
set xrange [lo / 1.5 : hi * 1.5]
set xlabel "client threads"
set grid ytics
# Under each panel: inside, it would hide whichever lines pass behind it.
set key below maxrows 3
set pointsize 1.3

set multiplot layout rows, 2
do for [t in tests] {
  set title t . ": transactions/s (median)"
  set ylabel "transactions/s"
  set yrange [0:*]
  set offsets 0, 0, 0, 0
  plot for [k in setups] csv using "threads":(pick(t, k . "_tps")) \
       with linespoints lw 2 pt 7 lc colour(k) title label(k)

  set title t . ": ddb ÷ native (solid), ddb ÷ plain (dashed)"
  set ylabel "ratio of transactions/s (median of each run's)"
  set yrange [0:*]
  # Parity as a plotted line, so that autoscaling always includes it, with
  # room above it so that it does not merge with the frame.
  set offsets 0, 0, graph 0.08, 0
  plot 1 with lines dt 3 lw 1 lc rgb "black" title "parity", \
       for [k in ddbs] csv using "threads":(pick(t, k . "_over_native")) \
         with linespoints lw 2 pt 7 dt 1 lc colour(k) title label(k) . " ÷ native", \
       for [k in ddbs] csv using "threads":(pick(t, k . "_over_plain")) \
         with linespoints lw 2 pt 6 dt 2 lc colour(k) title label(k) . " ÷ plain"
}
unset multiplot
