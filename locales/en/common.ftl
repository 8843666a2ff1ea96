# Shared by every page and email: moments, lengths of time, the product's own terms.
# English is the product's source text: customers' help pages quote it, so change none of it
# without a reason; locales/GLOSSARY.md lists the terms and their Indonesian words.

## Terms (Fluent terms: used inside other messages, never shown alone)
-product = Latchkey

## A moment in the reader's zone: "09:14 WIB, 1 Dec 2026"
datetime = { $hour }:{ $minute } { $zone }, { $day } { $month } { $year }
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Lengths of time: "Try again in 2 minutes", "The code works once, for 10 minutes"
duration-seconds = { $n ->
    [one] 1 second
   *[other] { $n } seconds
}
duration-minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
duration-hours = { $n ->
    [one] 1 hour
   *[other] { $n } hours
}
duration-days = { $n ->
    [one] 1 day
   *[other] { $n } days
}
