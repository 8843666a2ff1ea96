# Halaman masuk dan halaman publik. Istilah: lihat locales/GLOSSARY.md.

## Semua halaman: menu profil dan spanduk masa tenggang (base.html)
base-profile = Profil
base-manage-account = Kelola Akun
base-organization = Organisasi
base-logout = Keluar
# Tautan setelah pemberitahuan masa tenggang.
base-banner-setup = Siapkan autentikasi dua faktor

## Masuk (login.html)
login-title = Masuk
# Sebelum nama aplikasi (tebal): "untuk melanjutkan ke <strong>Acme Console</strong>".
login-to-before = untuk melanjutkan ke
login-email = Email
login-password = Kata Sandi
login-submit = Masuk
login-forgot = Lupa kata sandi?
login-passkey = Masuk dengan kunci sandi
login-passkey-needs-js = Masuk dengan kunci sandi memerlukan JavaScript.

## Langkah kedua proses masuk (login_verify.html)
login-verify-title = Autentikasi Dua Faktor
login-verify-key-intro = Gunakan kunci keamanan atau kunci sandi yang telah Anda tambahkan ke akun ini: browser Anda akan meminta Anda menyentuh kunci tersebut atau membuka kunci perangkat ini.
login-verify-key-needs-js = Penggunaan kunci keamanan memerlukan JavaScript: browser Anda berkomunikasi dengan kunci tersebut.
login-verify-key-button = Gunakan kunci keamanan Anda
login-verify-app-intro = Buka aplikasi autentikator Anda, lalu masukkan kode 6 digit yang ditampilkan untuk akun ini.
login-verify-app-code = Kode aplikasi autentikator
login-verify-continue = Lanjutkan
# Di sekitar alamat yang disamarkan (tebal).
login-verify-sent-before = Kami telah mengirim kode verifikasi ke
login-verify-sent-after = {"."} Kode sebelumnya tidak berlaku lagi.
login-verify-code = Kode Verifikasi
# Beralih ke cara lain untuk memberikan faktor kedua.
login-verify-switch-key = Gunakan kunci keamanan saya
login-verify-switch-app = Gunakan aplikasi autentikator saya
login-verify-switch-email = Kirim kode ke email saya
login-verify-use-recovery = Gunakan Kunci Pemulihan Anda
login-verify-cancel = Batal
login-verify-remember = Ingat perangkat ini selama { $days } hari

## Masuk dengan Kunci Pemulihan (login_recovery.html)
recovery-login-title = Gunakan Kunci Pemulihan Anda
recovery-login-intro = Masukkan Kunci Pemulihan dari file yang Anda unduh saat mengaktifkan autentikasi dua faktor. Kunci ini hanya berlaku sekali: setelah Anda masuk, Anda akan mendapatkan kunci yang baru.
recovery-login-key = Kunci Pemulihan
recovery-login-continue = Lanjutkan
recovery-login-use-code = Gunakan kode yang dikirim ke email

## Aplikasi meminta Anda keluar (logout_confirm.html)
logout-title = Keluar?
logout-app-asked = { $app } meminta agar Anda keluar dari Latchkey.
logout-asked = Sebuah aplikasi meminta agar Anda keluar dari Latchkey.
logout-again = Anda harus masuk lagi untuk menggunakan aplikasi organisasi Anda.
logout-submit = Keluar
logout-stay = Tetap masuk

## Lupa kata sandi (forgot.html)
forgot-title = Lupa kata sandi
forgot-heading = Lupa kata sandi?
forgot-sent = Jika ada akun dengan email tersebut, kami telah mengirimkan tautan untuk memilih kata sandi baru. Periksa kotak masuk Anda.
forgot-back = Kembali ke halaman Masuk
forgot-intro = Masukkan email akun Anda, lalu kami akan mengirimkan tautan untuk memilih kata sandi baru.
forgot-email = Email
forgot-submit = Kirim tautan atur ulang

## Memilih kata sandi baru (reset.html)
# Sebelum alamat akun (tebal), lalu titik.
reset-for = Untuk
reset-new-password = Kata sandi baru
reset-password-rules = Minimal 8 karakter; bukan kata sandi yang umum.
reset-confirm = Konfirmasi kata sandi baru
reset-submit = Simpan kata sandi

## Verifikasi alamat email (verify.html)
verify-title = Verifikasi alamat email
verify-intro = Konfirmasikan bahwa alamat email ini milik Anda.
verify-submit = Verifikasi email

## "Kirim ulang kode" dan hitung mundurnya (resend.html)
# $wait: "30 detik", "2 menit".
resend-button = Kirim ulang kode
resend-wait = Anda dapat meminta kode baru dalam { $wait }.

## Halaman pesan (message.html)
message-request-id = ID permintaan:

## Menuju situs lain (onward.html)
onward-title = Melanjutkan ke { $to }
onward-heading = Melanjutkan ke { $to }…
onward-fallback = Jika tidak terjadi apa-apa,
onward-link = lanjutkan ke { $to }

## Masuk ke organisasi yang bukan organisasi aplikasi (wrong_org.html)
wrong-org-title = Aplikasi organisasi lain
wrong-org-heading = { $app } milik organisasi lain
# Satu paragraf dalam dua bagian (masing-masing dengan satu nilai), digabung dengan spasi.
wrong-org-member = Anda masuk sebagai { $email }, yang bukan anggota organisasi yang menggunakan
wrong-org-other = { $app }. Masuk dengan akun organisasi tersebut, atau kembali.
wrong-org-login = Masuk dengan akun lain
wrong-org-back = Kembali ke { $app }

## Aplikasi pihak ketiga meminta izin (consent.html)
consent-title = Izinkan { $app }?
# Diikuti spasi dan permintaannya: "Acme Reports ingin mengetahui nama dan alamat email Anda".
consent-wants = { $app } ingin
consent-also = Aplikasi ini juga meminta untuk:
consent-signed-in = Anda masuk sebagai { $email }.
consent-not-ours = { $app } tidak dikelola oleh Latchkey; izinkan hanya jika Anda memercayainya.
consent-withdraw = Anda dapat mencabut izin ini nanti di Kelola Akun → Keamanan dan Kredensial.
consent-allow = Izinkan
consent-cancel = Batal

## Penyiapan awal layanan (setup.html)
setup-title = Siapkan Latchkey
setup-intro = Buat organisasi Anda dan administrator pertamanya. Anggota masuk dengan alamat email di domain organisasi.
setup-org-name = Nama organisasi
setup-domain = Domain email
setup-domain-placeholder = example.com
setup-email = Email Anda
setup-password = Kata Sandi
setup-password-rules = Minimal 8 karakter; bukan kata sandi yang umum.
setup-confirm = Konfirmasi kata sandi
setup-submit = Buat organisasi

## Autentikasi dua faktor diwajibkan (enrol.html)
enrol-title = Siapkan autentikasi dua faktor
enrol-app-wants-key = { $app } meminta kunci keamanan atau kunci sandi, yang tidak dapat digunakan oleh halaman masuk palsu. Tambahkan sekarang untuk melanjutkan ke aplikasi tersebut.
enrol-app-requires = { $app } mewajibkan autentikasi dua faktor. Siapkan sekarang untuk melanjutkan ke aplikasi tersebut.
# "{ $org } mewajibkan ... untuk admin[ mulai <tanggal>]: halaman masuk palsu tidak dapat menggunakannya."
enrol-keys-for-admins = { $org } mewajibkan kunci keamanan atau kunci sandi untuk admin
# Setelah kewajiban, jika ada batas waktunya; $date: "09.14 WIB, 1 Des 2026".
enrol-from = mulai { $date }
# Setelah titik dua.
enrol-keys-why = halaman masuk palsu tidak dapat menggunakannya.
enrol-must-key = Tambahkan sekarang untuk melanjutkan: fitur lain tidak tersedia sampai langkah ini selesai.
enrol-later-key = Tambahkan sekarang agar Anda tidak terganggu nanti.
# "{ $org } mewajibkan autentikasi dua faktor[ mulai <tanggal>]."
enrol-org-requires = { $org } mewajibkan autentikasi dua faktor
enrol-must = Siapkan sekarang untuk melanjutkan: fitur lain tidak tersedia sampai penyiapan selesai.
enrol-later = Siapkan sekarang agar Anda tidak terganggu nanti.
enrol-then = Setelah itu, Anda akan diarahkan ke { $app }.
enrol-choose = Pilih cara Anda mengonfirmasi identitas saat masuk:
# Setiap pilihan: namanya (tebal), titik dua, lalu penjelasannya.
enrol-email-name = Kode email
enrol-email-desc = kami mengirim kode 6 digit ke { $email } setiap kali Anda masuk.
enrol-email-use = Gunakan kode email
enrol-app-name = Aplikasi autentikator
enrol-app-desc = kode dari aplikasi di ponsel Anda.
enrol-app-use = Gunakan aplikasi autentikator
enrol-key-name = Kunci keamanan atau kunci sandi
enrol-key-desc = sentuh kunci Anda, atau buka kunci perangkat ini, saat Anda masuk.
enrol-key-add = Tambahkan kunci keamanan atau kunci sandi
enrol-verify-first = Pertama, verifikasi alamat email Anda: kode dan pemulihan akun Anda bergantung padanya.
enrol-send-verification = Kirim email verifikasi
enrol-logout = Keluar

## Mengonfirmasi perubahan dengan kata sandi dan faktor kedua (confirm_second_factor.html)
# Setelah penjelasan perubahan itu sendiri.
confirm-instructions = Untuk mengonfirmasi, masukkan kata sandi Anda dan salah satu faktor kedua Anda saat ini.
# Sebelum alamat yang disamarkan (tebal), lalu titik.
confirm-sent = Kami telah mengirim kode verifikasi ke
confirm-send-code = Kirim kode verifikasi
confirm-password = Kata Sandi
confirm-use-key = Gunakan kunci keamanan Anda
confirm-key-hint = Masukkan kata sandi Anda, lalu gunakan kunci Anda.
confirm-key-hint-or-code = Masukkan kata sandi Anda, lalu gunakan kunci Anda atau masukkan kode di bawah.
confirm-app-code = Kode aplikasi autentikator
confirm-code = Kode Verifikasi
confirm-lost-app-email = Tidak dapat mengakses aplikasi atau email Anda? Kosongkan kolom kode dan masukkan Kunci Pemulihan Anda.
confirm-lost-app = Tidak dapat mengakses aplikasi Anda? Kosongkan kolom kode dan masukkan Kunci Pemulihan Anda.
confirm-lost-email = Tidak dapat mengakses email Anda? Kosongkan kolom kode dan masukkan Kunci Pemulihan Anda.
confirm-lost-key = Tidak dapat mengakses kunci keamanan Anda? Masukkan Kunci Pemulihan Anda.
confirm-recovery-key = Kunci Pemulihan
confirm-cancel = Batal

## "Ini bukan saya", dari tautan peringatan (not_me.html)
not-me-title = Amankan akun Anda
not-me-intro = Seseorang masuk ke { $account }, atau memasukkan kata sandinya, dan itu bukan Anda? “Ini bukan saya” akan:
not-me-will-sessions = mengeluarkan semua sesi akun, di semua perangkat, dan mengakhiri akses aplikasi;
not-me-will-devices = melupakan semua perangkat yang diingat;
not-me-will-password = mewajibkan kata sandi baru sebelum masuk berikutnya;
not-me-will-admins = memberi tahu administrator organisasi Anda.
not-me-button = Ini bukan saya
not-me-if-you = Jika itu Anda, tidak ada yang perlu dilakukan: tutup halaman ini.
not-me-done-intro = Akun Anda telah diamankan:
not-me-next-heading = Langkah selanjutnya
not-me-next-reset = Pilih kata sandi baru, yang tidak Anda gunakan di tempat lain:
not-me-reset-link = Lupa kata sandi?
not-me-next-check = Setelah masuk, periksa Kelola Akun → Keamanan dan Kredensial: autentikasi dua faktor, aplikasi autentikator, dan kunci keamanan Anda harus yang Anda siapkan sendiri.
not-me-next-elsewhere = Jika Anda menggunakan kata sandi yang sama di situs lain, ganti juga di sana.
not-me-invalid-next = Jika Anda masih merasa orang lain menggunakan akun Anda, atur ulang kata sandi Anda:
