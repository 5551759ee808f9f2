package io.statelesslb.eventlog.etcd;

import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.eventlog.stream.EventStreamException;
import io.statelesslb.eventlog.stream.StreamRecord;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One event of the stream as an etcd value under {@code PREFIX/events/SEQUENCE} (twenty digits, so that keys sort
 * as sequences do). etcd keeps values whole; the checksum catches a value written by hand or by another program.
 * <pre>
 *   0        4           12     16
 *   +--------+-----------+------+------------------+
 *   | CRC32C | time (ms) | type | body (the rest)  |
 *   +--------+-----------+------+------------------+
 *   the CRC32C covers everything after it
 * </pre>
 */
record EtcdRecord(long sequence, long timestampMillis, int type, byte[] body, String key) implements StreamRecord {

    static final int HEADER_BYTES = 16;

    /** @return the value stored for a record */
    static byte[] encode(long timestampMillis, int type, byte[] body) {
        ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + body.length);
        value.putInt(0).putLong(timestampMillis).putInt(type).put(body);
        CRC32C crc = new CRC32C();
        crc.update(value.array(), 4, value.capacity() - 4);
        value.putInt(0, (int) crc.getValue());
        return value.array();
    }

    /**
     * @throws EventStreamException when the value is shorter than its header or fails its checksum
     */
    static EtcdRecord decode(long sequence, String key, byte[] value) {
        if (value.length < HEADER_BYTES) {
            throw new EventStreamException("etcd key " + key + " holds " + value.length + " bytes (expected: a record"
                    + " of at least " + HEADER_BYTES + "): it was not written by slb");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        CRC32C crc = new CRC32C();
        crc.update(value, 4, value.length - 4);
        if (buffer.getInt(0) != (int) crc.getValue()) {
            throw new EventStreamException("etcd key " + key + " fails its checksum: the record was changed after"
                    + " it was written (restore it from a backup of the etcd cluster)");
        }
        return new EtcdRecord(sequence, buffer.getLong(4), buffer.getInt(12), Arrays.copyOfRange(value,
                HEADER_BYTES, value.length), key);
    }

    @Override
    public EventCodec.Stored stored() {
        try {
            return EventCodec.decodeRecord(type, body);
        } catch (CodecException e) {
            throw new EventStreamException("etcd key " + key + " (record " + sequence + ") does not decode: "
                    + e.getMessage());
        }
    }
}
