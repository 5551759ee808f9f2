package io.statelesslb.eventlog.stream;

/**
 * The folded state after a record, kept beside the stream so that a start need not replay it all.
 *
 * @param sequence the last record the state includes
 * @param follows  that record's fingerprint: the snapshot is used only while the stream holds that very record
 * @param body     the encoded state
 * @param where    where it is kept, for messages
 */
public record StreamSnapshot(long sequence, long follows, byte[] body, String where) {
}
