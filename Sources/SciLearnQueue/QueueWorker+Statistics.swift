extension QueueWorker {
    /// Counts since start.
    public struct Statistics: Sendable, Equatable {
        /// Jobs that ran and succeeded.
        public var succeeded = 0
        /// Jobs that failed with a client error (not retried).
        public var failed = 0
        /// Retryable failures left for another delivery after a backoff.
        public var retried = 0
        /// Messages moved to the dead-letter queue (retries exhausted, or delivered too often).
        public var deadLettered = 0
        /// Deliveries of finished jobs, deleted without running.
        public var duplicates = 0
        /// Messages made visible again at once without a verdict (stopping, drain timeout, failed lookup).
        public var released = 0
    }
}
