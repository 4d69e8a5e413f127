/**
 * The settings `celery worker` and `celery beat` accept as extra `key=value` arguments
 * (app.config_from_cmdline, celery/loaders/base.py cmdline_config_parser), by the type that converts
 * the value: celery 5.2.6's celery.app.defaults.NAMESPACES, namespaced keys only (the key is split at
 * its first '_' into namespace and name, so `timezone=...` or `accept_content=...` cannot be given).
 * Written from Debian's python3-celery 5.2.6. Pure data.
 */
import { lookupTable } from '../lookupTable';

/** string, any: every value; int, float, bool, dict: Python's conversion; list, str: no converter (KeyError). */
export type CelerySettingType = 'string' | 'any' | 'int' | 'float' | 'bool' | 'dict' | 'tuple' | 'list' | 'str';

const BY_TYPE: Readonly<Record<CelerySettingType, readonly string[]>> = {
  string: [
    'azureblockblob_base_path', 'azureblockblob_container_name', 'beat_schedule_filename', 'beat_scheduler',
    'broker_failover_strategy', 'broker_host', 'broker_login_method', 'broker_password', 'broker_read_url',
    'broker_transport', 'broker_url', 'broker_user', 'broker_vhost', 'broker_write_url', 'cache_backend',
    'cassandra_auth_kwargs', 'cassandra_auth_provider', 'cassandra_keyspace', 'cassandra_port',
    'cassandra_read_consistency', 'cassandra_table', 'cassandra_write_consistency', 'control_exchange',
    'cosmosdbsql_collection_name', 'cosmosdbsql_consistency_level', 'cosmosdbsql_database_name', 'database_url',
    'event_exchange', 'event_queue_prefix', 'event_serializer', 'redis_host', 'redis_password', 'redis_username',
    'result_backend', 'result_exchange', 'result_exchange_type', 'result_serializer', 's3_access_key_id',
    's3_base_path', 's3_bucket', 's3_endpoint_url', 's3_region', 's3_secret_access_key', 'security_cert_store',
    'security_certificate', 'security_digest', 'security_key', 'task_compression', 'task_default_delivery_mode',
    'task_default_exchange', 'task_default_exchange_type', 'task_default_priority', 'task_default_queue',
    'task_default_rate_limit', 'task_default_routing_key', 'task_serializer', 'worker_agent', 'worker_autoscaler',
    'worker_consumer', 'worker_log_format', 'worker_pool', 'worker_redirect_stdouts_level', 'worker_state_db',
    'worker_task_log_format', 'worker_timer',
  ],
  any: [
    'task_annotations', 'task_routes',
  ],
  int: [
    'azureblockblob_connection_timeout', 'azureblockblob_read_timeout', 'azureblockblob_retry_increment_base',
    'azureblockblob_retry_initial_backoff_sec', 'azureblockblob_retry_max_attempts', 'beat_sync_every',
    'broker_connection_max_retries', 'broker_heartbeat', 'broker_heartbeat_checkrate', 'broker_pool_limit',
    'broker_port', 'cosmosdbsql_max_retry_attempts', 'cosmosdbsql_max_retry_wait_time', 'elasticsearch_max_retries',
    'redis_db', 'redis_max_connections', 'redis_port', 'result_backend_base_sleep_between_retries_ms',
    'result_backend_max_sleep_between_retries_ms', 'result_cache_max', 'task_protocol', 'task_queue_max_priority',
    'worker_concurrency', 'worker_max_memory_per_child', 'worker_max_tasks_per_child', 'worker_prefetch_multiplier',
  ],
  float: [
    'beat_max_loop_interval', 'broker_connection_timeout', 'cassandra_entry_ttl', 'control_queue_expires',
    'control_queue_ttl', 'elasticsearch_timeout', 'event_queue_expires', 'event_queue_ttl',
    'redis_socket_connect_timeout', 'redis_socket_timeout', 'result_backend_max_retries', 'result_chord_join_timeout',
    'result_chord_retry_interval', 'result_expires', 'task_soft_time_limit', 'task_time_limit', 'worker_lost_wait',
    'worker_proc_alive_timeout', 'worker_timer_precision',
  ],
  bool: [
    'broker_connection_retry', 'broker_use_ssl', 'database_short_lived_sessions', 'elasticsearch_retry_on_timeout',
    'elasticsearch_save_meta_as_text', 'redis_retry_on_timeout', 'redis_socket_keepalive',
    'result_backend_always_retry', 'result_extended', 'result_persistent', 'task_acks_late',
    'task_acks_on_failure_or_timeout', 'task_always_eager', 'task_create_missing_queues', 'task_eager_propagates',
    'task_ignore_result', 'task_inherit_parent_priority', 'task_publish_retry', 'task_reject_on_worker_lost',
    'task_remote_tracebacks', 'task_send_sent_event', 'task_store_eager_result', 'task_store_errors_even_if_ignored',
    'task_track_started', 'worker_cancel_long_running_tasks_on_connection_loss',
    'worker_deduplicate_successful_tasks', 'worker_direct', 'worker_disable_rate_limits',
    'worker_enable_remote_control', 'worker_hijack_root_logger', 'worker_log_color', 'worker_pool_putlocks',
    'worker_pool_restarts', 'worker_redirect_stdouts', 'worker_send_task_events',
  ],
  dict: [
    'arangodb_backend_settings', 'beat_schedule', 'broker_transport_options', 'cache_backend_options',
    'cassandra_options', 'couchbase_backend_settings', 'database_engine_options', 'database_table_names',
    'database_table_schemas', 'mongodb_backend_settings', 'redis_backend_use_ssl', 'result_backend_transport_options',
    'task_publish_retry_policy', 'task_queues',
  ],
  tuple: [
  ],
  list: [
    'cassandra_servers',
  ],
  str: [
    'result_compression',
  ],
};

/** Setting key (lower case, `namespace_name`) -> the type that converts its value. */
export const CELERY_SETTING_TYPES: Readonly<Record<string, CelerySettingType>> = lookupTable(
  Object.fromEntries(Object.entries(BY_TYPE).flatMap(([type, keys]) => keys.map((key) => [key, type as CelerySettingType]))),
);

/** The namespaces of CELERY_SETTING_TYPES ('worker', 'broker' ...): the part of a key before its first '_'. */
export const CELERY_SETTING_NAMESPACES: ReadonlySet<string> = new Set(Object.keys(CELERY_SETTING_TYPES).map((key) => key.slice(0, key.indexOf('_'))));
