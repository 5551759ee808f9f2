package io.statelesslb.controller;

import io.statelesslb.controller.pipeline.Pipeline;
import java.util.Optional;

/**
 * Where the controller of a trench is.
 *
 * @param backend         the dataplane's backend: {@code sim} or {@code kernel}
 * @param sequence        the last acknowledged event
 * @param appliedSequence the last sequence whose plan the dataplane matches (-1 before the first apply)
 * @param notReady        why the dataplane does not match the state yet, if it does not
 * @param unhealthy       why the controller cannot take writes, if it cannot
 * @param queued          commands waiting for the log
 * @param watchers        event watchers connected
 * @param lastReport      the last reconciliation, if any
 * @param events          where the events are ({@code local log DIR}, {@code etcd URLS under PREFIX})
 * @param instance        this instance's name in a trench of several (empty for a local log)
 */
public record ControllerStatus(String backend, long sequence, long appliedSequence, Optional<String> notReady,
                               Optional<String> unhealthy, int queued, int watchers,
                               Optional<Pipeline.Report> lastReport, String events, Optional<String> instance) {

    /** @return whether the dataplane has caught up with every acknowledged event */
    public boolean upToDate() {
        return appliedSequence >= sequence;
    }
}
