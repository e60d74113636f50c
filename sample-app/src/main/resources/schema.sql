create table if not exists settlement (
    auction_id varchar(36)  primary key,
    item       varchar(200) not null,
    status     varchar(10)  not null,
    winner     varchar(100),
    amount     bigint,
    bid_count  int          not null,
    closed_at  timestamp    not null,
    settled_by varchar(100) not null
);
