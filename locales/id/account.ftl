# Kelola Akun: Profil, Keamanan dan Kredensial, penyiapan autentikasi dua faktor, kunci
# keamanan, Kunci Pemulihan, dan teks static/app.js (js_messages.html).
# Istilah: lihat locales/GLOSSARY.md.

## Tab (account_tabs.html)
account-title = Kelola Akun
account-tab-profile = Profil
account-tab-security = Keamanan dan Kredensial

## Dipakai di beberapa halaman akun
account-save = Simpan
account-cancel = Batal
account-continue = Lanjutkan
account-done = Selesai
account-remove = Hapus
account-verify = Verifikasi
account-code-label = Kode Verifikasi
account-password-label = Kata Sandi
account-send-verification = Kirim email verifikasi

## Profil (account_profile.html)
account-profile-email = Email
account-profile-org = Organisasi
account-profile-role = Peran
account-profile-since = Anggota sejak
account-profile-name = Nama
account-profile-name-hint = Ditampilkan oleh aplikasi tempat Anda masuk melalui { -product }.

## Keamanan dan Kredensial: email (account_security.html)
account-email-heading = Email
account-email-verified = Terverifikasi
account-email-not-verified = Belum terverifikasi
account-email-verify-why = Verifikasi alamat email Anda agar kami dapat menghubungi Anda untuk kode masuk dan pemulihan akun.

## Keamanan dan Kredensial: autentikasi dua faktor
tfa-heading = Autentikasi Dua Faktor
tfa-on = Aktif
tfa-off = Nonaktif
tfa-on-text = Saat masuk, Anda akan diminta faktor kedua setelah kata sandi.
tfa-off-text = Lindungi akun Anda dengan kode yang dikirim ke email Anda, atau dari aplikasi autentikator, setiap kali Anda masuk.
tfa-enable = Aktifkan Autentikasi Dua Faktor
tfa-disable = Nonaktifkan Autentikasi Dua Faktor
tfa-methods-caption = Metode autentikasi dua faktor
tfa-email-code = Kode email
tfa-email-on = Aktif: kode dikirim ke { $email }
tfa-turn-on = Aktifkan
tfa-authenticator = Aplikasi Autentikator
tfa-authenticator-set-up = Sudah disiapkan
tfa-authenticator-not-set-up = Belum disiapkan
tfa-set-up = Siapkan
tfa-authenticator-again = lagi, untuk pindah ke ponsel baru
tfa-manage = Kelola
tfa-recovery-key = Kunci Pemulihan
tfa-recovery-created = Dibuat { $when }
tfa-none = Tidak ada
tfa-rk-hint = Kunci Pemulihan yang baru menggantikan yang lama, dan yang lama tidak berlaku lagi.
tfa-rk-regenerate = Buat Ulang Kunci Pemulihan

## Keamanan dan Kredensial: kunci keamanan dan kunci sandi
keys-heading = Kunci keamanan dan kunci sandi
# Bahasa Indonesia tidak mengubah kata benda untuk jamak.
keys-count = { $n } kunci
keys-intro = Kunci keamanan (seperti YubiKey) atau kunci sandi di ponsel atau komputer Anda memungkinkan Anda masuk dengan sentuhan atau sidik jari. Halaman masuk palsu tidak dapat menggunakannya.
keys-caption = Kunci keamanan dan kunci sandi Anda
keys-col-name = Nama
keys-col-added = Ditambahkan
keys-col-last-used = Terakhir digunakan
keys-rename-label = Nama baru untuk { $name }
keys-rename = Ganti nama
keys-add = Tambahkan kunci keamanan atau kunci sandi
keys-unavailable = Kunci keamanan dan kunci sandi tidak tersedia di sini: { -product } harus diakses melalui nama, bukan alamat IP.

## Tambahkan kunci keamanan atau kunci sandi (security_key_add.html)
keys-new-recovery-key = Anda telah menggunakan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda. Simpan sekarang: kunci ini hanya ditampilkan sekali.
# "Lanjutkan" adalah label tombolnya (account-continue).
keys-add-intro = Beri nama kunci, lalu pilih "Lanjutkan": browser Anda akan meminta Anda menyentuh kunci keamanan, atau membuka kunci sandi di perangkat ini (dengan sidik jari, wajah, atau PIN).
keys-name = Nama
keys-name-title = Nama dengan setidaknya satu huruf atau angka
keys-name-placeholder = YubiKey 5, Laptop kantor
keys-name-hint = Agar Anda dapat membedakan kunci-kunci Anda nanti.
keys-noscript = Menambahkan kunci memerlukan JavaScript: browser Anda berkomunikasi dengan kunci.

## Keamanan dan Kredensial: kata sandi
account-password-heading = Kata Sandi
account-current-password = Kata sandi saat ini
account-new-password = Kata sandi baru
account-password-rules = Minimal 8 karakter; bukan kata sandi yang umum. Anda akan dikeluarkan dari sesi lain.
account-confirm-password = Konfirmasi kata sandi baru
account-change-password = Ubah kata sandi

## Keamanan dan Kredensial: sesi
account-sessions-heading = Sesi
account-sessions-caption = Tempat Anda sedang masuk ke akun ini
account-sessions-col-signed-in = Waktu masuk
account-sessions-col-last-active = Terakhir aktif
account-sessions-col-address = Alamat klien
account-sessions-col-browser = Browser
account-sessions-col-ends = Berakhir
account-session-current = Sesi ini
account-sign-out-others = Keluar dari sesi lain
account-sign-out-others-hint = Anda juga akan keluar dari aplikasi yang Anda masuki melalui sesi-sesi tersebut.
account-sign-out-everywhere = Keluar di semua perangkat
account-sign-out-everywhere-hint = Mengakhiri semua sesi, termasuk sesi ini, serta akses semua aplikasi ke akun Anda.

## Keamanan dan Kredensial: aplikasi pihak ketiga yang diizinkan
account-apps-heading = Aplikasi yang Anda izinkan
account-apps-caption = Aplikasi pihak ketiga yang Anda izinkan untuk masuk dengan akun Anda
account-apps-col-app = Aplikasi
account-apps-col-may = Izin
account-apps-col-since = Sejak
account-apps-withdraw = Cabut izin

## Keamanan dan Kredensial: aktivitas
account-activity-heading = Aktivitas keamanan terbaru

## Aktifkan Autentikasi Dua Faktor (two_factor_enable.html)
tfa-enable-unverified = Alamat email Anda harus diverifikasi sebelum Anda dapat mengaktifkan autentikasi dua faktor: kode dikirim ke alamat tersebut.
# Di sekitar alamat yang disamarkan, dicetak tebal.
tfa-enable-explain-before = Setiap kali Anda masuk, kami akan mengirim kode 6 digit ke
tfa-enable-explain-after = {"."} Anda juga akan mendapatkan Kunci Pemulihan, yang dapat digunakan saat Anda tidak dapat mengakses email.
tfa-code-sent-before = Kami telah mengirim kode verifikasi ke
tfa-code-sent-after = {"."} Kode ini berlaku selama { $valid }.
tfa-confirm-explain = Autentikasi dua faktor sudah aktif, sehingga untuk menambahkan kode melalui email, Anda juga perlu memasukkan kata sandi dan salah satu faktor kedua Anda saat ini.
tfa-app-code = Kode aplikasi autentikator
tfa-no-app-hint = Tidak dapat mengakses aplikasi Anda? Kosongkan kolom kode aplikasi dan masukkan Kunci Pemulihan Anda.
tfa-send-code = Kirim kode verifikasi

## Menyiapkan aplikasi autentikator (authenticator_setup.html, authenticator_done.html)
authenticator-setup-title = Siapkan aplikasi autentikator
authenticator-qr-alt = Kode QR untuk menyiapkan aplikasi autentikator Anda. Jika tidak dapat memindainya, ketik kunci yang ditampilkan di sampingnya.
authenticator-step-scan = 1. Buka aplikasi autentikator di ponsel Anda, seperti Google Authenticator, Microsoft Authenticator, Authy, 1Password, atau FreeOTP, lalu pindai kode QR ini.
authenticator-manual = Tidak dapat memindainya? Tambahkan akun secara manual dengan kunci ini (berbasis waktu):
authenticator-step-code = 2. Masukkan kode 6 digit yang ditampilkan aplikasi.
authenticator-done-title = Aplikasi autentikator sudah disiapkan
authenticator-done-heading = Semuanya siap
authenticator-done-notice = Aplikasi autentikator berhasil disiapkan.
authenticator-done-text = Mulai sekarang, saat masuk Anda akan diminta kode dari aplikasi. Kunci Pemulihan Anda tetap sama.

## Kunci Pemulihan Anda (recovery_key.html)
recovery-key-title = Kunci Pemulihan Anda
recovery-key-explain = Kunci Pemulihan memungkinkan Anda masuk ke akun jika Anda kehilangan akses ke email. Perlakukan seperti kata sandi: simpan dengan aman (di pengelola kata sandi, atau dicetak lalu disimpan di tempat terkunci) dan jangan pernah membagikannya. Kunci ini hanya berlaku sekali; setelah Anda menggunakannya, Anda akan mendapatkan yang baru.
recovery-key-once = Kunci ini hanya ditampilkan sekali ini.
recovery-key-download = Unduh
recovery-key-saved = Saya sudah menyimpan Kunci Pemulihan saya

## Teks skrip browser (static/app.js, melalui js_messages.html)
js-resend-now = Anda dapat meminta kode baru sekarang.
js-key-unsupported = Browser ini tidak dapat menggunakan kunci keamanan atau kunci sandi.
js-key-prompt = Ikuti petunjuk browser Anda: sentuh kunci Anda atau buka kunci perangkat ini…
js-key-prompt-create = Ikuti petunjuk browser Anda: sentuh kunci Anda, atau buka kunci perangkat ini…
js-passkey-prompt = Ikuti petunjuk browser Anda: pilih kunci sandi Anda…
js-checking = Memeriksa…
js-key-cancelled = Permintaan dibatalkan atau waktunya habis. Coba lagi.
js-key-registered = Kunci ini sudah terdaftar di akun Anda.
js-key-failed = Browser Anda tidak dapat menggunakan kunci ini.
# $reason: penjelasan dari browser (dalam bahasa browser), atau js-no-answer.
js-key-failed-reason = Browser Anda tidak dapat menggunakan kunci ini: { $reason }
js-no-answer = layanan tidak merespons

## Perangkat: apa yang disebut oleh user agent, dan perangkat yang diingat (devices.html, di
## Keamanan dan Kredensial dan di halaman anggota)
device-browser-on-os = { $browser } di { $os }
device-browser = { $browser }
device-unknown-browser-on-os = Browser di { $os }
device-unknown = Browser tidak dikenal
device-as-sent = { $agent }
device-remember-days-invalid = Masukkan jumlah hari dari 1 sampai { $max }.
devices-heading = Perangkat
devices-hint = Browser yang pernah masuk ke akun Anda. Perangkat yang diingat melewati langkah kedua saat masuk (kata sandi tetap diminta) sampai tanggal yang tertera: centang “Ingat perangkat ini” saat masuk di perangkat yang Anda percayai. Lupakan perangkat yang tidak Anda gunakan lagi, atau yang tidak Anda kenali: saat masuk berikutnya, perangkat itu akan diminta langkah kedua dan Anda akan menerima peringatan.
devices-none = Belum ada perangkat yang masuk ke akun ini sejak perangkat dicatat.
devices-caption = Perangkat yang pernah masuk
devices-col-device = Perangkat
devices-col-first-seen = Pertama terlihat
devices-col-last-used = Terakhir digunakan
devices-col-until = Diingat sampai
devices-forget = Lupakan
devices-forget-all = Lupakan semua perangkat
devices-not-remembered = Tidak diingat
