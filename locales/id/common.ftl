# Dipakai semua halaman dan email: waktu, lama waktu, istilah produk.
# Istilah: lihat locales/GLOSSARY.md.

## Istilah
-product = Latchkey

## Waktu di zona pembaca: "09.14 WIB, 1 Des 2026" (PUEBI: titik di antara jam dan menit)
datetime = { $hour }.{ $minute } { $zone }, { $day } { $month } { $year }
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = Mei
month-6 = Jun
month-7 = Jul
month-8 = Agu
month-9 = Sep
month-10 = Okt
month-11 = Nov
month-12 = Des

## Lama waktu (bahasa Indonesia tidak mengubah kata benda untuk jamak)
duration-seconds = { $n } detik
duration-minutes = { $n } menit
duration-hours = { $n } jam
duration-days = { $n } hari
