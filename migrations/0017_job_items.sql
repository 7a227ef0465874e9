CREATE TABLE `job_items` (
	`job_id` text NOT NULL,
	`item_key` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `item_key`)
);
