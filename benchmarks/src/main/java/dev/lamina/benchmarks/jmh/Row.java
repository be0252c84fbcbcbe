package dev.lamina.benchmarks.jmh;

import org.openjdk.jmh.results.RunResult;

/** One JMH result: an operation on one store, value size and data set, with JMH's score error (99.9%). */
record Row(String op, String store, int valueSize, String dataset, double score, double error, String unit) {

    static Row of(RunResult r) {
        String benchmark = r.getParams().getBenchmark();
        return new Row(benchmark.substring(benchmark.lastIndexOf('.') + 1), r.getParams().getParam("store"),
                Integer.parseInt(r.getParams().getParam("valueSize")), r.getParams().getParam("dataset"),
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                r.getPrimaryResult().getScoreUnit());
    }

    /** The row's case: the same operation, value size and data set on another store. */
    String caseKey() {
        return op + "/" + valueSize + "/" + dataset;
    }

    String valueLabel() {
        return valueSize >= 1024 ? (valueSize / 1024) + " KiB" : valueSize + " B";
    }

    static String csvHeader() {
        return "op,store,valueSize,dataset,score,error,unit";
    }

    String csv() {
        return String.format("%s,%s,%d,%s,%.3f,%.3f,%s", op, store, valueSize, dataset, score,
                Double.isNaN(error) ? 0.0 : error, unit);
    }
}
